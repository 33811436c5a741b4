namespace NetLab.Protocols.Auth;

/// <summary>The requests of the NetLab auth protocol (docs/auth.md). Wire names are upper case with a
/// dash: REGISTER, LOGIN, LOGOUT, CHANGE-PASSWORD, WHOAMI, PING.</summary>
public enum AuthOperation
{
    Unknown = 0,
    Register,
    Login,
    Logout,
    ChangePassword,
    WhoAmI,
    Ping,
}

/// <summary>What <see cref="AuthFrame.Read"/> found at the start of a buffer.</summary>
public enum AuthFrameStatus
{
    /// <summary>A whole, well-formed frame.</summary>
    Complete,

    /// <summary>No line end yet and still under the size limit: read more.</summary>
    Incomplete,

    /// <summary><see cref="AuthProtocol.MaxFrameLength"/> bytes without a line end.</summary>
    TooLong,

    /// <summary>A whole line that is not a valid frame (bytesRead covers it, so the reader can go on).</summary>
    Malformed,

    /// <summary>A whole line with another protocol version.</summary>
    UnsupportedVersion,
}

/// <summary>Constants of the protocol.</summary>
public static class AuthProtocol
{
    /// <summary>Every frame starts with "NLA/" and the version, then one space.</summary>
    public const string Magic = "NLA";

    public const int Version = 1;

    /// <summary>The longest frame, line end included.</summary>
    public const int MaxFrameLength = 4096;

    public const int DefaultPort = 12345;

    public static string WireName(AuthOperation operation) => operation switch
    {
        AuthOperation.Register => "REGISTER",
        AuthOperation.Login => "LOGIN",
        AuthOperation.Logout => "LOGOUT",
        AuthOperation.ChangePassword => "CHANGE-PASSWORD",
        AuthOperation.WhoAmI => "WHOAMI",
        AuthOperation.Ping => "PING",
        _ => "UNKNOWN",
    };

    public static AuthOperation ParseOperation(string? name) => name switch
    {
        "REGISTER" => AuthOperation.Register,
        "LOGIN" => AuthOperation.Login,
        "LOGOUT" => AuthOperation.Logout,
        "CHANGE-PASSWORD" => AuthOperation.ChangePassword,
        "WHOAMI" => AuthOperation.WhoAmI,
        "PING" => AuthOperation.Ping,
        _ => AuthOperation.Unknown,
    };
}

/// <summary>Error codes a response carries in "error" (docs/auth.md lists when each is sent).</summary>
public static class AuthErrors
{
    public const string BadRequest = "bad-request";
    public const string TooLarge = "too-large";
    public const string UnsupportedVersion = "unsupported-version";
    public const string UnknownOperation = "unknown-op";
    public const string InvalidEmail = "invalid-email";
    public const string WeakPassword = "weak-password";
    public const string EmailTaken = "email-taken";
    public const string InvalidCredentials = "invalid-credentials";
    public const string Throttled = "throttled";
    public const string NotLoggedIn = "not-logged-in";
    public const string Unavailable = "unavailable";
    public const string ServerBusy = "server-busy";
    public const string IdleTimeout = "idle-timeout";
}

/// <summary>The user as a response describes it (never the password record).</summary>
public sealed record AuthUserInfo(long Id, string Email, DateTimeOffset Created, DateTimeOffset? LastLogin);
