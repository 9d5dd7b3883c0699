using System.Management.Automation;

namespace ProfileJobs.Benchmarks.EmptyModule
{
    /// <summary>Counts what reaches it and writes the count at the end; nothing is kept.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "BenchCount")]
    [OutputType(typeof(long))]
    public sealed class MeasureBenchCountCommand : Cmdlet
    {
        private long _count;

        /// <summary>The objects to count.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord() => _count++;

        /// <inheritdoc/>
        protected override void EndProcessing() => WriteObject(_count);
    }

    /// <summary>
    /// Binds identity rows by property name exactly as New-HygieneRecordDelete's parameters do (Namespace, Value or
    /// IdentityValue, Key or UserKey, IdentityType or Type) and counts them: the engine's share of
    /// <c>Import-Csv file | New-HygieneRecordDelete</c>.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "BenchIdentity")]
    [OutputType(typeof(long))]
    public sealed class MeasureBenchIdentityCommand : Cmdlet
    {
        private long _count;

        /// <summary>The identity namespace.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Namespace { get; set; }

        /// <summary>The identity value.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("IdentityValue")]
        public string[]? Value { get; set; }

        /// <summary>The customer key.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserKey")]
        public string? Key { get; set; }

        /// <summary>The identity type.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Type")]
        public string? IdentityType { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord() => _count += Value == null ? 0 : Value.Length;

        /// <inheritdoc/>
        protected override void EndProcessing() => WriteObject(_count);
    }
}
