using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using NetLab.Auth.Storage;

namespace NetLab.Auth.Server;

/// <summary>Everything auth-server takes from its command line.</summary>
public sealed record AuthServerSettings
{
    public required IPEndPoint Listen { get; init; }
    public string Database { get; init; } = "sqlite:auth.db";
    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }
    public int Iterations { get; init; } = Passwords.PasswordHasher.DefaultIterations;
    public int MaxClients { get; init; } = 1000;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);
    public int MaxFailuresPerAccount { get; init; } = 5;
    public int MaxFailuresPerAddress { get; init; } = 20;
    public TimeSpan ThrottleWindow { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Starts auth-server: opens the store (a clear error if it cannot), loads the TLS pair, serves
/// until cancelled.</summary>
public static class AuthServerApp
{
    /// <summary>A setup problem the user must fix (bad certificate, database down): the message says how.</summary>
    public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

    public static async Task RunAsync(AuthServerSettings settings, ILoggerFactory logging, CancellationToken ct)
    {
        var logger = logging.CreateLogger("auth-server");
        using var certificate = LoadCertificate(settings);
        IUserStore store;
        try
        {
            store = await UserStoreFactory.OpenAsync(settings.Database, ct).ConfigureAwait(false);
        }
        catch (UserStoreUnavailableException e)
        {
            throw new StartupException($"cannot open the user database: {e.Message}", e);
        }
        await using (store.ConfigureAwait(false))
        {
            logger.LogInformation("user database {Database}: {Count} users; PBKDF2-SHA256 with {Iterations} iterations",
                store.Description, await store.CountAsync(ct).ConfigureAwait(false), settings.Iterations);
            var throttle = new LoginThrottle(settings.MaxFailuresPerAccount, settings.MaxFailuresPerAddress, settings.ThrottleWindow);
            var service = new AuthService(store, settings.Iterations, throttle, logger);
            var server = new AuthServer(new AuthServerOptions
            {
                Listen = settings.Listen,
                Certificate = certificate,
                MaxClients = settings.MaxClients,
                IdleTimeout = settings.IdleTimeout,
            }, service, logger);
            try
            {
                await server.RunAsync(ct).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new StartupException($"cannot listen on {settings.Listen}: {e.Message} (another server on that port? ports below 1024 need root)", e);
            }
        }
    }

    private static X509Certificate2? LoadCertificate(AuthServerSettings settings)
    {
        if (settings.TlsCertificatePath is null && settings.TlsKeyPath is null)
        {
            return null;
        }
        if (settings.TlsCertificatePath is null || settings.TlsKeyPath is null)
        {
            throw new StartupException("TLS needs both --tls-cert FILE and --tls-key FILE (PEM)");
        }
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(settings.TlsCertificatePath, settings.TlsKeyPath);
            // SslStream on Linux needs the key in a loadable form, not an ephemeral PEM key.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StartupException(
                $"cannot load the TLS certificate {settings.TlsCertificatePath} with key {settings.TlsKeyPath}: {e.Message} "
                + "(both must be PEM files; create a lab pair with: openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj /CN=localhost)", e);
        }
    }
}
