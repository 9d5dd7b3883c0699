namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// What Get-Help -Online opens for each cmdlet (its [Cmdlet] HelpUri; the help compiler also writes it as the
    /// first related link, "Online Version:"). The project has no public URL yet, so nothing here points at this
    /// module's own pages: each is Adobe's documentation of the API the cmdlet calls. Once docs/help is published,
    /// point these at the cmdlets' pages there. A HelpUri, rather than a related link in the help file, because
    /// PowerShell 7 opens only the HelpUri of a compiled cmdlet.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Authentication = "https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/";
        public const string ProfileSystemJobs = "https://experienceleague.adobe.com/en/docs/experience-platform/profile/api/profile-system-jobs";
        public const string DataHygiene = "https://developer.adobe.com/experience-platform-apis/references/data-hygiene/";
    }
}
