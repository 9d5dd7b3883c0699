using System;
using System.Collections;
using System.Management.Automation;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// Lets only strings (and numbers and GUIDs, which print as themselves) through to an id parameter, also inside an
    /// array or a PSObject. Any other object would be turned into its type name (a hashtable's id would be
    /// "System.Collections.Hashtable"), which <see cref="ValidatePlatformIdAttribute"/> could not tell from an id; it
    /// is replaced by a <see cref="NotAnId"/>, which that attribute refuses, naming the type. Nothing is thrown here:
    /// the pipeline binder tries the whole input object first, and an object that is not an id must fail that try
    /// quietly, so that it can still bind by property name (a job's Id, a CSV row's DatasetId). The module's own
    /// objects named in the constructor stand for their id (<c>-Id $job</c>), as their ToString says.
    /// </summary>
    public sealed class PlatformIdArgumentAttribute : ArgumentTransformationAttribute
    {
        private readonly Type[] _objectsWithThisId;

        /// <param name="objectsWithThisId">Types whose ToString is the id this parameter takes (ProfileSystemJob for a job id).</param>
        public PlatformIdArgumentAttribute(params Type[] objectsWithThisId) => _objectsWithThisId = objectsWithThisId;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = Unwrap(inputData);
            if (value is IList list && !(value is IDictionary))
            {
                var ids = new object?[list.Count];
                for (var i = 0; i < ids.Length; i++) ids[i] = Single(list[i]);
                return ids;
            }
            return Single(value);
        }

        private object? Single(object? element)
        {
            var value = Unwrap(element);
            if (value == null || value is string || value is Guid || IsInteger(value)) return value;
            if (Array.IndexOf(_objectsWithThisId, value.GetType()) >= 0) return value.ToString();
            return new NotAnId(value.GetType());
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static bool IsInteger(object value) =>
            value is int || value is long || value is short || value is byte || value is uint || value is ulong || value is ushort || value is sbyte;

        /// <summary>
        /// What an object that is not an id becomes: not a string, so the binder's first, exact try fails; converted
        /// to a string, it is a text no id can be (it starts with <see cref="Marker"/>) that names the type given.
        /// </summary>
        internal sealed class NotAnId
        {
            public const char Marker = '\u0000';

            private readonly Type _type;

            public NotAnId(Type type) => _type = type;

            public static bool Is(string text, out string typeName)
            {
                var marked = text.Length > 1 && text[0] == Marker;
                typeName = marked ? text.Substring(1) : "";
                return marked;
            }

            public override string ToString() => Marker + _type.FullName;
        }
    }
}
