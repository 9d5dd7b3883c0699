using System.Collections.Generic;

namespace ProfileJobs.Shell
{
    /// <summary>One prompt the host was asked to show, and the answer it gave (null when it failed).</summary>
    /// <param name="Kind">Choice, ReadLine, SecureString, Prompt or Credential.</param>
    /// <param name="Caption">The caption (null for ReadLine).</param>
    /// <param name="Message">The message (null for ReadLine).</param>
    /// <param name="Choices">Choice labels (Choice) or field names (Prompt); empty otherwise.</param>
    /// <param name="Answer">The answer given: the choice index as text, the line read, or "***" for secrets.</param>
    public sealed record HostPrompt(string Kind, string? Caption, string? Message, IReadOnlyList<string> Choices, string? Answer);
}
