namespace NetLab.Auth.Storage;

/// <summary>Where users live. Shared by auth-server and ftp-server --auth-db. Safe for concurrent use
/// (SQLite opens a pooled connection per call; MariaDB keeps a small pool). Every method throws
/// <see cref="UserStoreUnavailableException"/> when the database cannot be reached.</summary>
public interface IUserStore : IAsyncDisposable
{
    /// <summary>Backend and location for logs, without any password (e.g. "sqlite:auth.db").</summary>
    string Description { get; }

    /// <summary>The user with this e-mail (any case), or null.</summary>
    Task<UserRecord?> FindByEmailAsync(string email, CancellationToken ct);

    Task<UserRecord?> FindByIdAsync(long id, CancellationToken ct);

    /// <summary>Adds a user; null when the e-mail (any case) is already taken.</summary>
    Task<UserRecord?> CreateAsync(string email, string passwordHash, CancellationToken ct);

    /// <summary>Replaces the stored password record; false when the user does not exist.</summary>
    Task<bool> UpdatePasswordAsync(long id, string passwordHash, CancellationToken ct);

    /// <summary>Remembers the time of a successful login.</summary>
    Task RecordLoginAsync(long id, DateTimeOffset when, CancellationToken ct);

    /// <summary>Number of registered users.</summary>
    Task<long> CountAsync(CancellationToken ct);
}

/// <summary>The database is down, refused the credentials or lost the connection. The message is
/// user-ready and never contains a password.</summary>
public sealed class UserStoreUnavailableException : Exception
{
    public UserStoreUnavailableException(string message) : base(message) { }

    public UserStoreUnavailableException(string message, Exception inner) : base(message, inner) { }
}
