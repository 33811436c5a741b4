using NetLab.Auth.Storage;
using NetLab.Testing;

namespace NetLab.Auth.Tests.Storage;

public sealed class MariaDbUserStoreTests
{
    [MySqlFact]
    public async Task Open_WrongPassword_ClearErrorWithoutPassword()
    {
        string spec = AuthTestDatabases.MySqlSpec!.Replace("://netlab:", "://netlab:wrong-secret-", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<UserStoreUnavailableException>(() => UserStoreFactory.OpenAsync(spec, CancellationToken.None));
        Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NothingListening_ClearError()
    {
        int port = FreePort.Tcp();
        var error = await Assert.ThrowsAsync<UserStoreUnavailableException>(() =>
            UserStoreFactory.OpenAsync($"mysql://netlab:pw@127.0.0.1:{port}/netlab", CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
