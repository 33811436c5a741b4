using Microsoft.Data.Sqlite;

namespace NetLab.Auth.Storage;

/// <summary>Users in a SQLite file (created on first open). WAL mode so auth-server and ftp-server can
/// share the file; every statement uses parameters.</summary>
public sealed class SqliteUserStore : IUserStore
{
    // SQLITE_CONSTRAINT (https://www.sqlite.org/rescode.html#constraint): here, the unique e-mail key.
    private const int SqliteConstraint = 19;

    private const string Columns = "id, email, password_hash, created_unix, last_login_unix";

    private readonly string _connectionString;

    private SqliteUserStore(string path)
    {
        Description = "sqlite:" + path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string Description { get; }

    public static async Task<SqliteUserStore> OpenAsync(string path, CancellationToken ct)
    {
        var store = new SqliteUserStore(path);
        try
        {
            await using var connection = await store.ConnectAsync(ct).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    email TEXT NOT NULL,
                    email_key TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_unix INTEGER NOT NULL,
                    last_login_unix INTEGER NULL
                );
                """;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new UserStoreUnavailableException($"cannot open the SQLite database {path}: {e.Message}", e);
        }
        return store;
    }

    public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken ct) =>
        QuerySingleAsync($"SELECT {Columns} FROM users WHERE email_key = $key", ("$key", UserRecord.EmailKey(email)), ct);

    public Task<UserRecord?> FindByIdAsync(long id, CancellationToken ct) =>
        QuerySingleAsync($"SELECT {Columns} FROM users WHERE id = $id", ("$id", id), ct);

    public async Task<UserRecord?> CreateAsync(string email, string passwordHash, CancellationToken ct)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        try
        {
            long id = await RunAsync(async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO users (email, email_key, password_hash, created_unix) VALUES ($email, $key, $hash, $created);
                    SELECT last_insert_rowid();
                    """;
                command.Parameters.AddWithValue("$email", email);
                command.Parameters.AddWithValue("$key", UserRecord.EmailKey(email));
                command.Parameters.AddWithValue("$hash", passwordHash);
                command.Parameters.AddWithValue("$created", created.ToUnixTimeSeconds());
                return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }, ct).ConfigureAwait(false);
            return new UserRecord(id, email, passwordHash, created, null);
        }
        catch (UserStoreUnavailableException e) when (e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint })
        {
            return null;
        }
    }

    public async Task<bool> UpdatePasswordAsync(long id, string passwordHash, CancellationToken ct) =>
        await ExecuteAsync("UPDATE users SET password_hash = $hash WHERE id = $id", ct, ("$hash", passwordHash), ("$id", id))
            .ConfigureAwait(false) == 1;

    public Task RecordLoginAsync(long id, DateTimeOffset when, CancellationToken ct) =>
        ExecuteAsync("UPDATE users SET last_login_unix = $when WHERE id = $id", ct, ("$when", when.ToUnixTimeSeconds()), ("$id", id));

    public Task<long> CountAsync(CancellationToken ct) => RunAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM users";
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }, ct);

    /// <summary>Closes the pooled connections of this file only (others in the process keep theirs).</summary>
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, ct);

    private Task<UserRecord?> QuerySingleAsync(string sql, (string Name, object Value) parameter, CancellationToken ct) =>
        RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue(parameter.Name, parameter.Value);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
            return new UserRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)));
        }, ct);

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var connection = await ConnectAsync(ct).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new UserStoreUnavailableException($"SQLite error on {Description}: {e.Message}", e);
        }
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
