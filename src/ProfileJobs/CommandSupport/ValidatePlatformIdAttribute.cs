using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// Ids of jobs, datasets and batches are letters, digits and a few separators. Anything else (slashes, '?', '#',
    /// '%', whitespace, control characters) is refused at binding, before any request could carry it into a URL, and
    /// so is an object that is not an id at all (<see cref="PlatformIdArgumentAttribute"/>).
    /// </summary>
    public sealed class ValidatePlatformIdAttribute : ValidateEnumeratedArgumentsAttribute
    {
        public const int MaxLength = 128;
        private static readonly Regex Allowed = new Regex("^[A-Za-z0-9][A-Za-z0-9_.:@-]*$", RegexOptions.CultureInvariant);

        public static string? Problem(string? id)
        {
            if (string.IsNullOrEmpty(id)) return "The id is empty.";
            if (PlatformIdArgumentAttribute.NotAnId.Is(id!, out var typeName))
            {
                return $"An id is a string, but a [{typeName}] was given. Pass the id itself, or an object whose property of the parameter's name holds it.";
            }
            if (id!.Length > MaxLength) return $"The id is {id.Length} characters long; ids have at most {MaxLength}.";
            if (!Allowed.IsMatch(id)) return $"The id '{Printable(id)}' contains characters that no Experience Platform id has; ids are letters, digits and . _ - : @.";
            return null;
        }

        protected override void ValidateElement(object element)
        {
            var problem = Problem(element as string ?? element?.ToString());
            if (problem != null) throw new ValidationMetadataException(problem);
        }

        private static string Printable(string id)
        {
            var chars = id.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsControl(chars[i])) chars[i] = '?';
            }
            return new string(chars);
        }
    }
}
