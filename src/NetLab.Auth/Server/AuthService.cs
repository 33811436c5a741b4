using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NetLab.Auth.Passwords;
using NetLab.Auth.Storage;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Server;

/// <summary>The state one connection carries: who logged in on it (LOGIN binds the connection).</summary>
public sealed class AuthSession(IPAddress remoteAddress)
{
    public IPAddress RemoteAddress { get; } = remoteAddress;
    public long? UserId { get; set; }
    public string? Email { get; set; }
}

/// <summary>Answers requests: the protocol's meaning, independent of TCP and TLS. Never throws for a
/// bad request or a database outage: every request gets a response frame.</summary>
public sealed class AuthService
{
    private const string InvalidCredentialsMessage = "wrong e-mail or password";

    private readonly IUserStore _store;
    private readonly LoginThrottle _throttle;
    private readonly ILogger _logger;
    private readonly int _iterations;
    private readonly string _dummyRecord;

    // PBKDF2 is pure CPU: run at most one per core so I/O (PING, accepts) keeps its threads.
    private readonly SemaphoreSlim _hashSlots = new(Environment.ProcessorCount);

    public AuthService(IUserStore store, int iterations, LoginThrottle throttle, ILogger logger)
    {
        _store = store;
        _iterations = iterations;
        _throttle = throttle;
        _logger = logger;
        // Verified for unknown e-mails so they cost the same time as a wrong password.
        _dummyRecord = PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), iterations);
    }

    public async Task<AuthFrame> HandleAsync(AuthFrame request, AuthSession session, CancellationToken ct)
    {
        if (request.IsResponse)
        {
            return AuthFrame.Failure(request.Operation, AuthErrors.BadRequest, "clients send requests; this frame has \"ok\", which only responses carry");
        }
        try
        {
            return request.Operation switch
            {
                AuthOperation.Ping => AuthFrame.Success(AuthOperation.Ping, "pong"),
                AuthOperation.Register => await RegisterAsync(request, session, ct).ConfigureAwait(false),
                AuthOperation.Login => await LoginAsync(request, session, ct).ConfigureAwait(false),
                AuthOperation.Logout => Logout(session),
                AuthOperation.WhoAmI => await WhoAmIAsync(session, ct).ConfigureAwait(false),
                AuthOperation.ChangePassword => await ChangePasswordAsync(request, session, ct).ConfigureAwait(false),
                _ => AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.UnknownOperation,
                    $"unknown op '{request.OperationName}'; use REGISTER, LOGIN, LOGOUT, CHANGE-PASSWORD, WHOAMI or PING"),
            };
        }
        catch (UserStoreUnavailableException e)
        {
            _logger.LogError("{Operation} from {Address} failed: {Reason}", request.OperationName, session.RemoteAddress, e.Message);
            return AuthFrame.Failure(request.Operation, AuthErrors.Unavailable, "the user database is unavailable; try again later");
        }
    }

    private async Task<AuthFrame> RegisterAsync(AuthFrame request, AuthSession session, CancellationToken ct)
    {
        if (CredentialPolicy.CheckEmail(request.Email) is { } emailProblem)
        {
            return AuthFrame.Failure(AuthOperation.Register, AuthErrors.InvalidEmail, emailProblem);
        }
        if (CredentialPolicy.CheckPassword(request.Password) is { } passwordProblem)
        {
            return AuthFrame.Failure(AuthOperation.Register, AuthErrors.WeakPassword, passwordProblem);
        }
        string email = request.Email!;
        if (await _store.FindByEmailAsync(email, ct).ConfigureAwait(false) is null)
        {
            string record = await HashAsync(request.Password!, ct).ConfigureAwait(false);
            // The unique key decides a race between two registrations of the same address.
            if (await _store.CreateAsync(email, record, ct).ConfigureAwait(false) is { } user)
            {
                _logger.LogInformation("registered {Email} (id {Id}) from {Address}", user.Email, user.Id, session.RemoteAddress);
                return AuthFrame.Success(AuthOperation.Register, "registered", Info(user));
            }
        }
        return AuthFrame.Failure(AuthOperation.Register, AuthErrors.EmailTaken, $"{email} is already registered (e-mails ignore case)");
    }

    private async Task<AuthFrame> LoginAsync(AuthFrame request, AuthSession session, CancellationToken ct)
    {
        if (request.Email is null || request.Password is null)
        {
            return AuthFrame.Failure(AuthOperation.Login, AuthErrors.BadRequest, "LOGIN needs \"email\" and \"password\"");
        }
        string accountKey = UserRecord.EmailKey(request.Email);
        if (_throttle.RetryAfter(accountKey, session.RemoteAddress) is { } wait)
        {
            _logger.LogWarning("login for {Email} from {Address} throttled", request.Email, session.RemoteAddress);
            int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return AuthFrame.Failure(AuthOperation.Login, AuthErrors.Throttled,
                $"too many failed logins; try again in {seconds} s", seconds);
        }
        var user = await _store.FindByEmailAsync(request.Email, ct).ConfigureAwait(false);
        bool valid = await VerifyAsync(request.Password, user?.PasswordHash ?? _dummyRecord, ct).ConfigureAwait(false) && user is not null;
        if (!valid)
        {
            _throttle.RecordFailure(accountKey, session.RemoteAddress);
            _logger.LogWarning("failed login for {Email} from {Address}", request.Email, session.RemoteAddress);
            return AuthFrame.Failure(AuthOperation.Login, AuthErrors.InvalidCredentials, InvalidCredentialsMessage);
        }
        _throttle.RecordSuccess(accountKey);
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await _store.RecordLoginAsync(user!.Id, now, ct).ConfigureAwait(false);
        if (PasswordHasher.IterationsOf(user.PasswordHash) != _iterations)
        {
            // The record says how it was hashed, so raising --pbkdf2-iterations upgrades users as they log in.
            await _store.UpdatePasswordAsync(user.Id, await HashAsync(request.Password, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        session.UserId = user.Id;
        session.Email = user.Email;
        _logger.LogInformation("{Email} logged in from {Address}", user.Email, session.RemoteAddress);
        return AuthFrame.Success(AuthOperation.Login, "logged in", Info(user with { LastLogin = now }));
    }

    private AuthFrame Logout(AuthSession session)
    {
        if (session.UserId is null)
        {
            return NotLoggedIn(AuthOperation.Logout);
        }
        _logger.LogInformation("{Email} logged out", session.Email);
        session.UserId = null;
        session.Email = null;
        return AuthFrame.Success(AuthOperation.Logout, "logged out");
    }

    private async Task<AuthFrame> WhoAmIAsync(AuthSession session, CancellationToken ct)
    {
        if (session.UserId is not long id)
        {
            return NotLoggedIn(AuthOperation.WhoAmI);
        }
        if (await _store.FindByIdAsync(id, ct).ConfigureAwait(false) is not { } user)
        {
            session.UserId = null;
            return NotLoggedIn(AuthOperation.WhoAmI);
        }
        return AuthFrame.Success(AuthOperation.WhoAmI, string.Create(CultureInfo.InvariantCulture, $"you are {user.Email}"), Info(user));
    }

    private async Task<AuthFrame> ChangePasswordAsync(AuthFrame request, AuthSession session, CancellationToken ct)
    {
        if (session.UserId is not long id)
        {
            return NotLoggedIn(AuthOperation.ChangePassword);
        }
        if (request.Password is null || request.NewPassword is null)
        {
            return AuthFrame.Failure(AuthOperation.ChangePassword, AuthErrors.BadRequest,
                "CHANGE-PASSWORD needs \"password\" (the current one) and \"new_password\"");
        }
        if (CredentialPolicy.CheckPassword(request.NewPassword) is { } problem)
        {
            return AuthFrame.Failure(AuthOperation.ChangePassword, AuthErrors.WeakPassword, "new password: " + problem);
        }
        var user = await _store.FindByIdAsync(id, ct).ConfigureAwait(false);
        string accountKey = UserRecord.EmailKey(session.Email ?? "");
        if (_throttle.RetryAfter(accountKey, session.RemoteAddress) is { } wait)
        {
            int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return AuthFrame.Failure(AuthOperation.ChangePassword, AuthErrors.Throttled, $"too many failed attempts; try again in {seconds} s", seconds);
        }
        if (user is null || !await VerifyAsync(request.Password, user.PasswordHash, ct).ConfigureAwait(false))
        {
            _throttle.RecordFailure(accountKey, session.RemoteAddress);
            return AuthFrame.Failure(AuthOperation.ChangePassword, AuthErrors.InvalidCredentials, "the current password is wrong");
        }
        await _store.UpdatePasswordAsync(id, await HashAsync(request.NewPassword, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        _logger.LogInformation("{Email} changed the password", user.Email);
        return AuthFrame.Success(AuthOperation.ChangePassword, "password changed");
    }

    private static AuthFrame NotLoggedIn(AuthOperation operation) =>
        AuthFrame.Failure(operation, AuthErrors.NotLoggedIn, "not logged in on this connection; send LOGIN first");

    private static AuthUserInfo Info(UserRecord user) => new(user.Id, user.Email, user.Created, user.LastLogin);

    private Task<string> HashAsync(string password, CancellationToken ct) =>
        OnHashSlotAsync(() => PasswordHasher.Hash(password, _iterations), ct);

    private Task<bool> VerifyAsync(string password, string record, CancellationToken ct) =>
        OnHashSlotAsync(() => PasswordHasher.Verify(password, record), ct);

    private async Task<T> OnHashSlotAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _hashSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _hashSlots.Release();
        }
    }
}
