using NetLab.Auth.Passwords;
using NetLab.Auth.Storage;
using NetLab.Ftp.Common;
using NetLab.Ftp.Users;
using NetLab.Testing;

namespace NetLab.Ftp.Tests.Users;

public sealed class UsersTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();

    [Fact]
    public async Task UsersFile_AddUser_StoresPbkdf2AndVerifies()
    {
        string path = _temp.Combine("users.txt");
        UsersFile.AddUser(path, "alice", "first", iterations: 1000);
        UsersFile.AddUser(path, "bob", "b0b", iterations: 1000);
        UsersFile.AddUser(path, "alice", "second", iterations: 1000);

        string text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain("second", text, StringComparison.Ordinal);
        Assert.Contains("alice:pbkdf2-sha256$1000$", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var users = UsersFile.Load(path);
        Assert.Equal(2, users.Count);
        Assert.True(await users.VerifyAsync("alice", "second", default));
        Assert.False(await users.VerifyAsync("alice", "first", default));
        Assert.True(await users.VerifyAsync("bob", "b0b", default));
        Assert.Null(await users.VerifyAsync("carol", "x", default));
    }

    [Fact]
    public void UsersFile_BadLine_NamesTheLine()
    {
        string path = _temp.Combine("users.txt");
        File.WriteAllLines(path, ["# comment", "alice:plaintext"]);
        var ex = Assert.Throws<FormatException>(() => UsersFile.Load(path));
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b")]
    [InlineData("a b")]
    public void UsersFile_BadUserName_IsRejected(string name)
        => Assert.Throws<ArgumentException>(() => UsersFile.AddUser(_temp.Combine("u.txt"), name, "pw", 1000));

    [Fact]
    public async Task StaticUsers_And_Chain()
    {
        Assert.True(StaticUserDirectory.TryParse("carol:pa:ss", out var carol));
        Assert.Equal(("carol", "pa:ss"), carol);
        Assert.False(StaticUserDirectory.TryParse(":x", out _));
        var chain = new FtpUserDirectoryChain([new StaticUserDirectory([carol]), new StaticUserDirectory([("dave", "d")])]);
        Assert.True(await chain.VerifyAsync("carol", "pa:ss", default));
        Assert.False(await chain.VerifyAsync("carol", "wrong", default));
        Assert.True(await chain.VerifyAsync("dave", "d", default));
        Assert.Null(await chain.VerifyAsync("eve", "d", default));
    }

    [Fact]
    public async Task AuthStore_UserRegisteredThroughAuth_LogsInByEmail()
    {
        string spec = "sqlite:" + _temp.Combine("auth.db");
        await using (var store = await UserStoreFactory.OpenAsync(spec, default))
        {
            Assert.NotNull(await store.CreateAsync("Alice@Lab.Test", PasswordHasher.Hash("s3cret", 1000), default));
        }
        await using var directory = await AuthStoreUserDirectory.OpenAsync(spec, default);
        Assert.True(await directory.VerifyAsync("alice@lab.test", "s3cret", default));
        Assert.False(await directory.VerifyAsync("alice@lab.test", "wrong", default));
        Assert.Null(await directory.VerifyAsync("bob@lab.test", "s3cret", default));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("12", 12)]
    public void DurationText_Parses(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5s")]
    [InlineData("5x")]
    public void DurationText_Rejects(string text) => Assert.False(DurationText.TryParse(text, out _));

    public void Dispose() => _temp.Dispose();
}
