using NetLab.Auth.Passwords;
using NetLab.Auth.Storage;
using NetLab.Protocols.Auth;
using NetLab.Testing;

namespace Auth.Server.Tests;

/// <summary>Every command against a real auth-server process, on each backend.</summary>
public sealed class AuthServerCommandTests : AuthServerTestBase
{
    public static TheoryData<string> Backends => AuthTestDatabases.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AllCommands_FullSession(string backend)
    {
        using var server = StartServer(backend);
        await using var client = await ConnectAsync(server);

        Assert.Equal("pong", (await ExpectOkAsync(client.SimpleAsync(AuthOperation.Ping, Ct))).Message);
        var registered = await ExpectOkAsync(client.RegisterAsync("Alice@Lab.Test", "first-password", Ct));
        Assert.Equal("Alice@Lab.Test", registered.User!.Email);
        await ExpectErrorAsync(client.SimpleAsync(AuthOperation.WhoAmI, Ct), AuthErrors.NotLoggedIn);
        await ExpectErrorAsync(client.SimpleAsync(AuthOperation.Logout, Ct), AuthErrors.NotLoggedIn);
        await ExpectErrorAsync(client.ChangePasswordAsync("first-password", "second-password", Ct), AuthErrors.NotLoggedIn);

        var login = await ExpectOkAsync(client.LoginAsync("alice@lab.test", "first-password", Ct));
        Assert.Equal(registered.User.Id, login.User!.Id);
        Assert.NotNull(login.User.LastLogin);
        var whoami = await ExpectOkAsync(client.SimpleAsync(AuthOperation.WhoAmI, Ct));
        Assert.Equal("Alice@Lab.Test", whoami.User!.Email);

        await ExpectErrorAsync(client.ChangePasswordAsync("not-the-password", "second-password", Ct), AuthErrors.InvalidCredentials);
        await ExpectErrorAsync(client.ChangePasswordAsync("first-password", "short", Ct), AuthErrors.WeakPassword);
        await ExpectOkAsync(client.ChangePasswordAsync("first-password", "second-password", Ct));
        await ExpectOkAsync(client.SimpleAsync(AuthOperation.Logout, Ct));
        await ExpectErrorAsync(client.SimpleAsync(AuthOperation.WhoAmI, Ct), AuthErrors.NotLoggedIn);

        await ExpectErrorAsync(client.LoginAsync("alice@lab.test", "first-password", Ct), AuthErrors.InvalidCredentials);
        await ExpectOkAsync(client.LoginAsync("ALICE@LAB.TEST", "second-password", Ct));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Register_Rules_ClearMessages(string backend)
    {
        using var server = StartServer(backend);
        await using var client = await ConnectAsync(server);

        await ExpectOkAsync(client.RegisterAsync("bob@lab.test", "bob-password", Ct));
        var taken = await ExpectErrorAsync(client.RegisterAsync("BOB@lab.TEST", "other-password", Ct), AuthErrors.EmailTaken);
        Assert.Contains("already registered", taken.Message, StringComparison.Ordinal);
        var email = await ExpectErrorAsync(client.RegisterAsync("not-an-email", "bob-password", Ct), AuthErrors.InvalidEmail);
        Assert.Contains("name@domain", email.Message, StringComparison.Ordinal);
        var weak = await ExpectErrorAsync(client.RegisterAsync("carol@lab.test", "1234", Ct), AuthErrors.WeakPassword);
        Assert.Contains("at least 8", weak.Message, StringComparison.Ordinal);
        await ExpectErrorAsync(client.SendAsync(new AuthFrame { OperationName = "DELETE-ALL" }, Ct), AuthErrors.UnknownOperation);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Login_UnknownEmailAndWrongPassword_SameAnswer(string backend)
    {
        using var server = StartServer(backend);
        await using var client = await ConnectAsync(server);
        await ExpectOkAsync(client.RegisterAsync("dave@lab.test", "dave-password", Ct));

        var wrongPassword = await ExpectErrorAsync(client.LoginAsync("dave@lab.test", "wrong-password", Ct), AuthErrors.InvalidCredentials);
        var unknownEmail = await ExpectErrorAsync(client.LoginAsync("nobody@lab.test", "wrong-password", Ct), AuthErrors.InvalidCredentials);

        Assert.Equal(wrongPassword.ToArray(), unknownEmail.ToArray());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task StoredRecord_IsPbkdf2NotThePassword(string backend)
    {
        using var server = StartServer(backend);
        await using (var client = await ConnectAsync(server))
        {
            await ExpectOkAsync(client.RegisterAsync("erin@lab.test", "erin-password", Ct));
        }

        await using var store = await UserStoreFactory.OpenAsync(server.DatabaseSpec, Ct);
        var user = (await store.FindByEmailAsync("erin@lab.test", Ct))!;
        Assert.NotEqual("erin-password", user.PasswordHash);
        Assert.DoesNotContain("erin-password", user.PasswordHash, StringComparison.Ordinal);
        Assert.StartsWith($"pbkdf2-sha256${AuthServerProcess.TestIterations}$", user.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("erin-password", user.PasswordHash));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Login_RaisedIterationCount_UpgradesRecord(string backend)
    {
        string spec = AuthTestDatabases.FreshSpec(backend, TempDirectory);
        await using (var store = await UserStoreFactory.OpenAsync(spec, Ct))
        {
            await store.CreateAsync("frank@lab.test", PasswordHasher.Hash("frank-password", 10), Ct);
        }
        using var server = new AuthServerProcess(spec);
        await using (var client = await ConnectAsync(server))
        {
            await ExpectOkAsync(client.LoginAsync("frank@lab.test", "frank-password", Ct));
        }

        await using var reopened = await UserStoreFactory.OpenAsync(spec, Ct);
        Assert.Equal(AuthServerProcess.TestIterations, PasswordHasher.IterationsOf((await reopened.FindByEmailAsync("frank@lab.test", Ct))!.PasswordHash));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ManyClientsAtOnce_AllServed(string backend)
    {
        using var server = StartServer(backend);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var client = await ConnectAsync(server);
            await ExpectOkAsync(client.SimpleAsync(AuthOperation.Ping, Ct));
            await ExpectOkAsync(client.RegisterAsync($"user{i}@lab.test", "many-password", Ct));
            await ExpectOkAsync(client.LoginAsync($"user{i}@lab.test", "many-password", Ct));
            Assert.Equal($"user{i}@lab.test", (await ExpectOkAsync(client.SimpleAsync(AuthOperation.WhoAmI, Ct))).User!.Email);
        }));

        await using var store = await UserStoreFactory.OpenAsync(server.DatabaseSpec, Ct);
        Assert.Equal(40, await store.CountAsync(Ct));
    }
}
