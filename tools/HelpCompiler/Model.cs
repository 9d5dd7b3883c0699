using System.Collections.Generic;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>A cmdlet as its attributes declare it, read from the built assembly.</summary>
    internal sealed class CmdletInfo
    {
        public required string Name { get; init; }
        public required string Verb { get; init; }
        public required string Noun { get; init; }
        public required string TypeName { get; init; }
        public string? DefaultParameterSetName { get; init; }
        public bool SupportsShouldProcess { get; init; }
        public bool SupportsPaging { get; init; }

        /// <summary>[Cmdlet]'s HelpUri: what Get-Help -Online opens.</summary>
        public string? HelpUri { get; init; }
        public List<ParameterInfo> Parameters { get; } = new List<ParameterInfo>();
        public List<OutputTypeInfo> OutputTypes { get; } = new List<OutputTypeInfo>();

        /// <summary>Parameter sets in the order the code declares them, the default one first.</summary>
        public List<string> ParameterSets { get; } = new List<string>();
    }

    internal sealed class ParameterInfo
    {
        public required string Name { get; init; }

        /// <summary>The type as PowerShell shows it in syntax (String[], SwitchParameter, Int32).</summary>
        public required string TypeDisplayName { get; init; }

        /// <summary>The full type name (System.String[]).</summary>
        public required string TypeFullName { get; init; }
        public bool IsSwitch { get; init; }
        public bool IsArray { get; init; }
        public IReadOnlyList<string> Aliases { get; init; } = new List<string>();
        public IReadOnlyList<string> ValidValues { get; init; } = new List<string>();
        public bool SupportsWildcards { get; init; }

        /// <summary>The doc-comment id of the property that declares it; null for the parameters the engine adds.</summary>
        public string? DocId { get; init; }

        /// <summary>What [PSDefaultValue] declares (its Help, else its Value): for defaults the command works out when it runs.</summary>
        public string? DeclaredDefault { get; init; }

        /// <summary>The default Get-Help shows: <see cref="DeclaredDefault"/>, else the value a new cmdlet object has.</summary>
        public string? DefaultValue { get; set; }

        /// <summary>The description of a parameter the engine adds (WhatIf, Confirm, First, Skip, IncludeTotalCount).</summary>
        public string? BuiltInDescription { get; init; }

        /// <summary>Sort key in syntax: declared parameters first, then paging, then WhatIf/Confirm.</summary>
        public int Group { get; init; }
        public int DeclarationOrder { get; init; }
        public List<ParameterSetUse> Sets { get; } = new List<ParameterSetUse>();
    }

    /// <summary>How a parameter takes part in one parameter set ("__AllParameterSets" for all).</summary>
    internal sealed class ParameterSetUse
    {
        public required string SetName { get; init; }
        public bool Mandatory { get; init; }

        /// <summary>0-based position, or null when named.</summary>
        public int? Position { get; init; }
        public bool FromPipeline { get; init; }
        public bool FromPipelineByPropertyName { get; init; }
    }

    internal sealed class OutputTypeInfo
    {
        public required string TypeName { get; init; }
        public IReadOnlyList<string> ParameterSets { get; init; } = new List<string>();
    }

    /// <summary>What docs/help/&lt;Cmdlet-Name&gt;.md adds: examples, output descriptions, notes and related links.</summary>
    internal sealed class HelpPage
    {
        public required string Path { get; init; }
        public string? Title { get; set; }
        public List<Example> Examples { get; } = new List<Example>();
        public Dictionary<string, List<string>> Outputs { get; } = new Dictionary<string, List<string>>(System.StringComparer.OrdinalIgnoreCase);
        public List<string> Notes { get; } = new List<string>();
        public List<RelatedLink> RelatedLinks { get; } = new List<RelatedLink>();
    }

    internal sealed class Example
    {
        public required string Title { get; init; }
        public int Line { get; init; }
        public string Code { get; set; } = "";
        public List<string> Remarks { get; } = new List<string>();
    }

    internal sealed class RelatedLink
    {
        public required string Text { get; init; }
        public string? Uri { get; init; }
        public int Line { get; init; }
    }
}
