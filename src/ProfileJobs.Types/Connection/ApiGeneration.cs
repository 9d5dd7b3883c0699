namespace ProfileJobs
{
    /// <summary>
    /// The three contracts Adobe has published for profile system jobs. <see cref="Auto"/> detects the one
    /// an instance speaks from its first response (or from a sandbox id, which only AWS instances use).
    /// </summary>
    public enum ApiGeneration
    {
        Auto,
        Azure,
        Aws,
        Unified,
    }

    public enum AuthenticationMode
    {
        ClientCredentials,
        AccessToken,
    }
}
