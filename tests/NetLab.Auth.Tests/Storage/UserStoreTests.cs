using NetLab.Auth.Passwords;
using NetLab.Auth.Storage;
using NetLab.Testing;

namespace NetLab.Auth.Tests.Storage;

/// <summary>The same checks against every backend (SQLite, and MariaDB when the test server runs);
/// each test opens a fresh, empty store.</summary>
public sealed class UserStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netlab-auth-").FullName;

    public static TheoryData<string> Backends => AuthTestDatabases.Backends;

    public static TheoryData<string, string> BackendsAndHostileStrings
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string backend in AuthTestDatabases.Backends)
            {
                foreach (string hostile in HostileStrings)
                {
                    data.Add(backend, hostile);
                }
            }
            return data;
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<IUserStore> OpenFreshAsync(string backend) =>
        UserStoreFactory.OpenAsync(AuthTestDatabases.FreshSpec(backend, _directory), CancellationToken.None);

    /// <summary>Strings that break string-built SQL; each must come back byte for byte.</summary>
    private static readonly string[] HostileStrings =
    [
        "' OR '1'='1",
        "x'); DROP TABLE users; --",
        "\\'; SELECT SLEEP(5); #",
        "\" OR \"\"=\"",
        "quote''doubled",
        "back\\slash\\0\u0000nul",
        "unicode ñ ✓ 🙂 \u202e",
        "%_ like wildcards",
    ];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Create_ThenFindByEmail_ReturnsSameRecord(string backend)
    {
        await using var store = await OpenFreshAsync(backend);
        string hash = PasswordHasher.Hash("pw-123456", 1000);

        var created = await store.CreateAsync("Alice@Lab.Test", hash, CancellationToken.None);
        var found = await store.FindByEmailAsync("alice@lab.test", CancellationToken.None);

        Assert.NotNull(created);
        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal("Alice@Lab.Test", found.Email);
        Assert.Equal(hash, found.PasswordHash);
        Assert.Equal(created.Created, found.Created);
        Assert.Null(found.LastLogin);
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Create_SameEmailOtherCase_Null(string backend)
    {
        await using var store = await OpenFreshAsync(backend);
        Assert.NotNull(await store.CreateAsync("bob@lab.test", "h1", CancellationToken.None));

        Assert.Null(await store.CreateAsync("BOB@LAB.TEST", "h2", CancellationToken.None));
        Assert.Equal("h1", (await store.FindByEmailAsync("bob@lab.test", CancellationToken.None))!.PasswordHash);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Find_Unknown_Null(string backend)
    {
        await using var store = await OpenFreshAsync(backend);
        Assert.Null(await store.FindByEmailAsync("nobody@lab.test", CancellationToken.None));
        Assert.Null(await store.FindByIdAsync(424242, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task UpdatePassword_And_RecordLogin_Persist(string backend)
    {
        await using var store = await OpenFreshAsync(backend);
        var user = (await store.CreateAsync("carol@lab.test", "old", CancellationToken.None))!;
        var when = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        Assert.True(await store.UpdatePasswordAsync(user.Id, "new", CancellationToken.None));
        Assert.True(await store.UpdatePasswordAsync(user.Id, "new", CancellationToken.None));
        await store.RecordLoginAsync(user.Id, when, CancellationToken.None);
        Assert.False(await store.UpdatePasswordAsync(user.Id + 1000, "x", CancellationToken.None));

        var found = (await store.FindByIdAsync(user.Id, CancellationToken.None))!;
        Assert.Equal("new", found.PasswordHash);
        Assert.Equal(when, found.LastLogin);
    }

    [Theory]
    [MemberData(nameof(BackendsAndHostileStrings))]
    public async Task HostileStrings_StoredAndReturnedLiterally(string backend, string hostile)
    {
        await using var store = await OpenFreshAsync(backend);
        string email = hostile + "@lab.test";

        var created = await store.CreateAsync(email, hostile, CancellationToken.None);
        var found = await store.FindByEmailAsync(email, CancellationToken.None);

        Assert.NotNull(created);
        Assert.NotNull(found);
        Assert.Equal(email, found.Email);
        Assert.Equal(hostile, found.PasswordHash);
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
        Assert.Null(await store.FindByEmailAsync("' OR '1'='1", CancellationToken.None));
    }
}
