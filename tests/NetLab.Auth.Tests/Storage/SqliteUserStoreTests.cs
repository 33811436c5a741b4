using NetLab.Auth.Storage;

namespace NetLab.Auth.Tests.Storage;

public sealed class SqliteUserStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netlab-auth-").FullName;

    [Fact]
    public async Task Open_CreatesFileOnFirstRun_AndKeepsUsersAcrossReopen()
    {
        string path = Path.Combine(_directory, "reopen.db");
        Assert.False(File.Exists(path));

        await using (var store = await UserStoreFactory.OpenAsync("sqlite:" + path, CancellationToken.None))
        {
            await store.CreateAsync("dave@lab.test", "h", CancellationToken.None);
        }
        Assert.True(File.Exists(path));
        await using var reopened = await UserStoreFactory.OpenAsync("sqlite:" + path, CancellationToken.None);
        Assert.NotNull(await reopened.FindByEmailAsync("DAVE@lab.test", CancellationToken.None));
    }

    [Fact]
    public async Task Open_UnwritableDirectory_ClearError()
    {
        var error = await Assert.ThrowsAsync<UserStoreUnavailableException>(() =>
            UserStoreFactory.OpenAsync("sqlite:/nonexistent-dir/sub/auth.db", CancellationToken.None));
        Assert.Contains("/nonexistent-dir/sub/auth.db", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://x@y/z")]
    [InlineData("sqlite:")]
    [InlineData("mysql://user:secret@host:99999/db")]
    [InlineData("mysql://user:secret@host/bad-name;")]
    public async Task Open_BadSpec_ArgumentExceptionWithoutPassword(string spec)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => UserStoreFactory.OpenAsync(spec, CancellationToken.None));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
