using NetLab.Auth.Client;
using NetLab.Protocols.Auth;
using NetLab.Testing;

namespace Auth.Server.Tests;

/// <summary>Shared by the server tests: a temp directory for SQLite files and short ways to talk to a server.</summary>
public abstract class AuthServerTestBase : IDisposable
{
    protected string TempDirectory { get; } = Directory.CreateTempSubdirectory("netlab-auth-server-").FullName;

    protected static CancellationToken Ct => CancellationToken.None;

    protected AuthServerProcess StartServer(string backend, params string[] extraArgs) =>
        new(AuthTestDatabases.FreshSpec(backend, TempDirectory), extraArgs);

    protected static Task<AuthClient> ConnectAsync(AuthServerProcess server, AuthTlsOptions? tls = null) =>
        AuthClient.ConnectAsync("127.0.0.1", server.Port, tls, Ct);

    protected static async Task<AuthFrame> ExpectOkAsync(Task<AuthExchange> exchange)
    {
        var response = (await exchange).Response;
        Assert.True(response.Ok, $"expected ok, got {response.Describe(false)}");
        return response;
    }

    protected static async Task<AuthFrame> ExpectErrorAsync(Task<AuthExchange> exchange, string error)
    {
        var response = (await exchange).Response;
        Assert.False(response.Ok, $"expected {error}, got {response.Describe(false)}");
        Assert.Equal(error, response.Error);
        Assert.False(string.IsNullOrWhiteSpace(response.Message));
        return response;
    }

    public void Dispose()
    {
        Directory.Delete(TempDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
