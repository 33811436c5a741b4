using System.Globalization;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Client;

/// <summary>The interactive menu of auth-client: 1- Register 2- Login 3- Quit, and once logged in
/// who am I, change password, log out. Input and output are given, so tests drive it through stdin.</summary>
public sealed class AuthMenu(AuthClient client, TextReader input, TextWriter output, Func<string, string?> readSecret)
{
    public async Task RunAsync(CancellationToken ct)
    {
        string? user = null;
        while (true)
        {
            await output.WriteLineAsync(user is null
                ? "1- Register 2- Login 3- Quit"
                : $"[{user}] 1- Who am I 2- Change password 3- Log out 4- Quit").ConfigureAwait(false);
            await output.WriteAsync("> ").ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
            string? choice = (await input.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
            if (choice is null)
            {
                return;
            }
            AuthExchange? exchange = (user, choice) switch
            {
                (null, "1") => await RegisterAsync(ct).ConfigureAwait(false),
                (null, "2") => await LoginAsync(ct).ConfigureAwait(false),
                (null, "3") or (not null, "4") => null,
                (not null, "1") => await client.SimpleAsync(AuthOperation.WhoAmI, ct).ConfigureAwait(false),
                (not null, "2") => await ChangePasswordAsync(ct).ConfigureAwait(false),
                (not null, "3") => await client.SimpleAsync(AuthOperation.Logout, ct).ConfigureAwait(false),
                _ => Invalid(),
            };
            if (exchange is null)
            {
                if (choice is "3" or "4")
                {
                    await output.WriteLineAsync("bye").ConfigureAwait(false);
                    return;
                }
                continue;
            }
            await output.WriteLineAsync(Describe(exchange)).ConfigureAwait(false);
            if (exchange.Response.Ok)
            {
                user = exchange.Response.Operation switch
                {
                    AuthOperation.Login => exchange.Response.User?.Email,
                    AuthOperation.Logout => null,
                    _ => user,
                };
            }
            else if (exchange.Response.Error == AuthErrors.NotLoggedIn)
            {
                user = null;
            }
        }
    }

    /// <summary>One line per response: operation, outcome, details and the response time.</summary>
    public static string Describe(AuthExchange exchange)
    {
        var response = exchange.Response;
        string outcome = response.Ok ? "ok" : $"error {response.Error}";
        string details = response.Message ?? "";
        if (response.User is { } user)
        {
            details += string.Create(CultureInfo.InvariantCulture,
                $" | {user.Email} (id {user.Id}, registered {user.Created:u}, last login {(user.LastLogin is { } last ? last.ToString("u", CultureInfo.InvariantCulture) : "never")})");
        }
        if (response.RetryAfterSeconds is int retry)
        {
            details += string.Create(CultureInfo.InvariantCulture, $" (retry after {retry} s)");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{response.OperationName} {outcome}: {details.Trim()} [{exchange.Elapsed.TotalMilliseconds:0.000} ms]");
    }

    private AuthExchange? Invalid()
    {
        output.WriteLine("choose one of the numbers shown");
        return null;
    }

    private async Task<AuthExchange?> RegisterAsync(CancellationToken ct)
    {
        string? email = await AskAsync("e-mail: ", ct).ConfigureAwait(false);
        string? password = readSecret("password: ");
        string? again = readSecret("password again: ");
        if (email is null || password is null || again is null)
        {
            return null;
        }
        if (password != again)
        {
            await output.WriteLineAsync("the two passwords differ; nothing sent").ConfigureAwait(false);
            return null;
        }
        return await client.RegisterAsync(email, password, ct).ConfigureAwait(false);
    }

    private async Task<AuthExchange?> LoginAsync(CancellationToken ct)
    {
        string? email = await AskAsync("e-mail: ", ct).ConfigureAwait(false);
        string? password = readSecret("password: ");
        return email is null || password is null ? null : await client.LoginAsync(email, password, ct).ConfigureAwait(false);
    }

    private async Task<AuthExchange?> ChangePasswordAsync(CancellationToken ct)
    {
        string? current = readSecret("current password: ");
        string? replacement = readSecret("new password: ");
        return current is null || replacement is null ? null : await client.ChangePasswordAsync(current, replacement, ct).ConfigureAwait(false);
    }

    private async Task<string?> AskAsync(string prompt, CancellationToken ct)
    {
        await output.WriteAsync(prompt).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return (await input.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
    }
}

/// <summary>Reads a password: from the keyboard without echo on a terminal, or one line from
/// redirected input (scripts, tests).</summary>
public static class ConsoleSecret
{
    public static string? Read(string prompt)
    {
        Console.Error.Write(prompt);
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
