using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProfileJobs.Emulator.Control;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Hygiene;
using ProfileJobs.Emulator.Ims;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.Privacy;
using ProfileJobs.Emulator.RequestLogging;
using ProfileJobs.Emulator.SystemJobs;

namespace ProfileJobs.Emulator;

/// <summary>Builds and starts the emulator; usable from <c>Program</c> or in-process from tests.</summary>
public static class EmulatorHost
{
    /// <summary>
    /// Builds the application without starting it. <paramref name="configure"/> runs after the built-in routes are
    /// mapped and before the fallback, so extensions can add their own endpoints.
    /// </summary>
    public static WebApplication Build(EmulatorOptions options, Action<WebApplication, EmulatorState>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? urlError = OptionsParser.ValidateUrls(options.Urls);
        if (urlError != null)
        {
            throw new ArgumentException(urlError, nameof(options));
        }

        var state = new EmulatorState(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(state);

        WebApplication app = builder.Build();
        app.Use(next => new RequestLogMiddleware(next, state).InvokeAsync);
        app.Use(next => new FaultMiddleware(next, state).InvokeAsync);
        app.Use(next => new GatewayChecks(next, state).InvokeAsync);

        ImsEndpoints.Map(app, state);
        SystemJobEndpoints.Map(app, state);
        PrivacyEndpoints.Map(app, state);
        HygieneEndpoints.Map(app, state);
        ControlEndpoints.Map(app, state);
        configure?.Invoke(app, state);
        app.MapFallback((RequestDelegate)(ctx => Problems.WriteAsync(
            ctx, 404, Problems.RouteNotFound, "Not Found", $"No emulated route for {ctx.Request.Method} {ctx.Request.Path}.")));
        return app;
    }

    /// <summary>Builds and starts the emulator; the bound URL is available from <see cref="GetBaseUrl"/>.</summary>
    public static async Task<WebApplication> StartAsync(
        EmulatorOptions options, Action<WebApplication, EmulatorState>? configure = null, CancellationToken cancellationToken = default)
    {
        WebApplication app = Build(options, configure);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    /// <summary>The real bound base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public static string GetBaseUrl(WebApplication app)
    {
        IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        string? first = addresses?.Addresses.FirstOrDefault() ?? app.Urls.FirstOrDefault();
        return (first ?? throw new InvalidOperationException("The emulator is not listening.")).TrimEnd('/');
    }

    public static EmulatorState GetState(WebApplication app) => app.Services.GetRequiredService<EmulatorState>();
}
