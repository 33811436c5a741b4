using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NetLab.Auth.Storage.MariaDb;

/// <summary>One connection to MariaDB/MySQL through Connector/C. Not thread-safe: the store hands a
/// connection to one caller at a time. Values go into statements only through <see cref="Bind"/>, which
/// uses the library's own escaping under utf8mb4.</summary>
internal sealed class MariaDbConnection : IDisposable
{
    // Client error codes (errmsg.h) at or above this mean the connection itself failed.
    private const uint FirstClientError = 2000;

    // ER_BAD_DB_ERROR: unknown database.
    private const uint UnknownDatabase = 1049;

    private readonly MariaDbHandle _handle;

    private MariaDbConnection(MariaDbHandle handle) => _handle = handle;

    public static MariaDbConnection Open(MariaDbSettings settings)
    {
        MariaDbNative.EnsureLoaded();
        var handle = MariaDbNative.Init(IntPtr.Zero);
        if (handle.IsInvalid)
        {
            throw new MariaDbException("mysql_init failed (out of memory)", 0);
        }
        var connection = new MariaDbConnection(handle);
        try
        {
            connection.SetOptions();
            if (MariaDbNative.RealConnect(handle, settings.Host, settings.User, settings.Password, null,
                    (uint)settings.Port, null, 0) == IntPtr.Zero)
            {
                throw connection.Failure("cannot connect");
            }
            connection.SelectOrCreateDatabase(settings.Database);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>True after an error that broke the connection (server gone, lost, timed out).</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Runs a statement; values replace the <c>?</c> markers in order. Returns (affected rows, insert id).</summary>
    public (ulong AffectedRows, ulong InsertId) Execute(string sql, params object?[] values)
    {
        Run(sql, values);
        return (MariaDbNative.AffectedRows(_handle), MariaDbNative.InsertId(_handle));
    }

    /// <summary>Runs a query and returns every row as strings (null for SQL NULL).</summary>
    public List<string?[]> Query(string sql, params object?[] values)
    {
        Run(sql, values);
        using var result = MariaDbNative.StoreResult(_handle);
        if (result.IsInvalid)
        {
            throw Failure("reading the result failed");
        }
        int fields = (int)MariaDbNative.NumFields(result);
        var rows = new List<string?[]>();
        for (IntPtr row; (row = MariaDbNative.FetchRow(result)) != IntPtr.Zero;)
        {
            IntPtr lengths = MariaDbNative.FetchLengths(result);
            var cells = new string?[fields];
            for (int i = 0; i < fields; i++)
            {
                // MYSQL_ROW is char**; the lengths are unsigned long, pointer-sized on Linux.
                IntPtr cell = Marshal.ReadIntPtr(row, i * IntPtr.Size);
                int length = checked((int)Marshal.ReadIntPtr(lengths, i * IntPtr.Size));
                cells[i] = cell == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(cell, length);
            }
            rows.Add(cells);
        }
        return rows;
    }

    public void Dispose() => _handle.Dispose();

    private unsafe void SetOptions()
    {
        uint connectTimeout = 5, ioTimeout = 10, protocol = MariaDbNative.ProtocolTcp;
        // utf8mb4 before connecting, so the handshake and mysql_real_escape_string use it (never latin1/GBK tricks).
        fixed (byte* charset = "utf8mb4\0"u8)
        {
            _ = MariaDbNative.Options(_handle, MariaDbNative.OptSetCharsetName, charset);
        }
        _ = MariaDbNative.Options(_handle, MariaDbNative.OptConnectTimeout, &connectTimeout);
        _ = MariaDbNative.Options(_handle, MariaDbNative.OptReadTimeout, &ioTimeout);
        _ = MariaDbNative.Options(_handle, MariaDbNative.OptWriteTimeout, &ioTimeout);
        // "localhost" would otherwise mean the default Unix socket, not the port we were given.
        _ = MariaDbNative.Options(_handle, MariaDbNative.OptProtocol, &protocol);
    }

    private void SelectOrCreateDatabase(string database)
    {
        if (MariaDbNative.SelectDb(_handle, database) == 0)
        {
            return;
        }
        if (MariaDbNative.Errno(_handle) != UnknownDatabase)
        {
            throw Failure($"cannot use database {database}");
        }
        // The name was checked to be [A-Za-z0-9_] by MariaDbSettings, so quoting it as an identifier is safe.
        Execute($"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        if (MariaDbNative.SelectDb(_handle, database) != 0)
        {
            throw Failure($"cannot use database {database}");
        }
    }

    private unsafe void Run(string sql, object?[] values)
    {
        byte[] statement = Bind(sql, values);
        fixed (byte* query = statement)
        {
            if (MariaDbNative.RealQuery(_handle, query, (nuint)statement.Length) != 0)
            {
                throw Failure("query failed");
            }
        }
    }

    /// <summary>Replaces each <c>?</c> of the statement text (a constant in our code) with a value:
    /// numbers in invariant form, strings as '...' escaped by mysql_real_escape_string.</summary>
    private byte[] Bind(string sql, object?[] values)
    {
        string[] pieces = sql.Split('?');
        if (pieces.Length - 1 != values.Length)
        {
            throw new ArgumentException($"the statement has {pieces.Length - 1} ? markers but {values.Length} values", nameof(values));
        }
        var output = new List<byte>(sql.Length + 64);
        for (int i = 0; i < pieces.Length; i++)
        {
            output.AddRange(Encoding.UTF8.GetBytes(pieces[i]));
            if (i < values.Length)
            {
                output.AddRange(Literal(values[i]));
            }
        }
        return [.. output];
    }

    private byte[] Literal(object? value) => value switch
    {
        null => "NULL"u8.ToArray(),
        long number => Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)),
        string text => [(byte)'\'', .. Escape(text), (byte)'\''],
        _ => throw new ArgumentException($"unsupported value type {value.GetType().Name}", nameof(value)),
    };

    private unsafe byte[] Escape(string text)
    {
        byte[] raw = Encoding.UTF8.GetBytes(text);
        byte[] escaped = new byte[raw.Length * 2 + 1];
        nuint length;
        fixed (byte* from = raw)
        fixed (byte* to = escaped)
        {
            length = MariaDbNative.RealEscapeString(_handle, to, from, (nuint)raw.Length);
        }
        if (length == unchecked((nuint)(-1)))
        {
            throw new MariaDbException("mysql_real_escape_string rejected the value", 0);
        }
        return escaped[..(int)length];
    }

    private MariaDbException Failure(string what)
    {
        uint code = MariaDbNative.Errno(_handle);
        string message = Marshal.PtrToStringUTF8(MariaDbNative.Error(_handle)) ?? "unknown error";
        if (code >= FirstClientError)
        {
            IsBroken = true;
        }
        return new MariaDbException($"{what}: {message} (error {code})", code);
    }
}

/// <summary>A MariaDB failure with its error code (errmsg.h for 2000 and up, mysqld_error.h below).</summary>
internal sealed class MariaDbException(string message, uint code) : Exception(message)
{
    // ER_DUP_ENTRY
    public const uint DuplicateEntry = 1062;

    public uint Code { get; } = code;
}
