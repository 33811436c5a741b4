using System.Collections.Concurrent;
using System.Globalization;

namespace NetLab.Auth.Storage.MariaDb;

/// <summary>Users in a MariaDB/MySQL table (created on first open). A small pool of Connector/C
/// connections; a connection broken by an outage is dropped and a fresh one is opened on the next
/// request, so the store recovers by itself when the server returns.</summary>
public sealed class MariaDbUserStore : IUserStore
{
    private const int MaxConnections = 4;

    private const string Columns = "id, email, password_hash, created_unix, last_login_unix";

    private readonly MariaDbSettings _settings;
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private readonly ConcurrentBag<MariaDbConnection> _idle = [];

    private MariaDbUserStore(MariaDbSettings settings) => _settings = settings;

    public string Description => _settings.Location;

    /// <summary>Connects once (a down server or refused credentials fail here, clearly) and creates the table.</summary>
    public static async Task<MariaDbUserStore> OpenAsync(MariaDbSettings settings, CancellationToken ct)
    {
        var store = new MariaDbUserStore(settings);
        try
        {
            await store.RunAsync(connection => connection.Execute("""
                CREATE TABLE IF NOT EXISTS users (
                    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                    email VARCHAR(254) NOT NULL,
                    email_key VARCHAR(254) NOT NULL,
                    password_hash VARCHAR(255) NOT NULL,
                    created_unix BIGINT NOT NULL,
                    last_login_unix BIGINT NULL,
                    UNIQUE KEY users_email_key (email_key)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """), ct).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return store;
    }

    public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken ct) =>
        RunAsync(connection => ToRecord(connection.Query($"SELECT {Columns} FROM users WHERE email_key = ?", UserRecord.EmailKey(email))), ct);

    public Task<UserRecord?> FindByIdAsync(long id, CancellationToken ct) =>
        RunAsync(connection => ToRecord(connection.Query($"SELECT {Columns} FROM users WHERE id = ?", id)), ct);

    public Task<UserRecord?> CreateAsync(string email, string passwordHash, CancellationToken ct)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return RunAsync(connection =>
        {
            try
            {
                var (_, id) = connection.Execute(
                    "INSERT INTO users (email, email_key, password_hash, created_unix) VALUES (?, ?, ?, ?)",
                    email, UserRecord.EmailKey(email), passwordHash, created.ToUnixTimeSeconds());
                return new UserRecord((long)id, email, passwordHash, created, null);
            }
            catch (MariaDbException e) when (e.Code == MariaDbException.DuplicateEntry)
            {
                return null;
            }
        }, ct);
    }

    public Task<bool> UpdatePasswordAsync(long id, string passwordHash, CancellationToken ct) =>
        RunAsync(connection =>
        {
            // MariaDB counts changed rows, so an identical hash would report 0: ask whether the user exists instead.
            connection.Execute("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id);
            return connection.Query("SELECT 1 FROM users WHERE id = ?", id).Count == 1;
        }, ct);

    public Task RecordLoginAsync(long id, DateTimeOffset when, CancellationToken ct) =>
        RunAsync(connection => connection.Execute("UPDATE users SET last_login_unix = ? WHERE id = ?", when.ToUnixTimeSeconds(), id), ct);

    public Task<long> CountAsync(CancellationToken ct) =>
        RunAsync(connection => long.Parse(connection.Query("SELECT COUNT(*) FROM users")[0][0]!, CultureInfo.InvariantCulture), ct);

    public ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
        _slots.Dispose();
        return ValueTask.CompletedTask;
    }

    private static UserRecord? ToRecord(List<string?[]> rows)
    {
        if (rows.Count == 0)
        {
            return null;
        }
        string?[] row = rows[0];
        return new UserRecord(
            long.Parse(row[0]!, CultureInfo.InvariantCulture),
            row[1]!,
            row[2]!,
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(row[3]!, CultureInfo.InvariantCulture)),
            row[4] is null ? null : DateTimeOffset.FromUnixTimeSeconds(long.Parse(row[4]!, CultureInfo.InvariantCulture)));
    }

    /// <summary>Runs work on a pooled connection. A pooled connection that turns out stale (the server
    /// restarted since) is replaced once; a server that stays down gives <see cref="UserStoreUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<MariaDbConnection, T> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (bool retried = false; ; retried = true)
            {
                bool pooled = _idle.TryTake(out var connection);
                try
                {
                    connection ??= MariaDbConnection.Open(_settings);
                    T result = work(connection);
                    _idle.Add(connection);
                    connection = null;
                    return result;
                }
                catch (MariaDbException) when (pooled && connection!.IsBroken && !retried)
                {
                    // Stale after a server restart: drop it and try a fresh connection.
                }
                catch (MariaDbException e)
                {
                    if (connection is { IsBroken: false })
                    {
                        _idle.Add(connection);
                        connection = null;
                    }
                    throw new UserStoreUnavailableException($"database {_settings.Location}: {e.Message}", e);
                }
                finally
                {
                    connection?.Dispose();
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }
}
