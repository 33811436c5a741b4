using System.Reflection;
using System.Runtime.InteropServices;

namespace NetLab.Auth.Storage.MariaDb;

/// <summary>The few MariaDB Connector/C functions we need (mysql.h). The library does the wire
/// protocol, authentication and escaping; we only marshal.</summary>
internal static partial class MariaDbNative
{
    public const string LibraryName = "mariadb";

    /// <summary>Debian's libmariadb3 installs only the versioned name.</summary>
    private static readonly string[] s_candidates = ["libmariadb.so.3", "libmariadb.so", "libmysqlclient.so.21"];

    // enum mysql_option (mysql.h)
    public const int OptConnectTimeout = 0;
    public const int OptSetCharsetName = 7;
    public const int OptProtocol = 9;
    public const int OptReadTimeout = 11;
    public const int OptWriteTimeout = 12;

    // enum mysql_protocol_type: MYSQL_PROTOCOL_TCP
    public const uint ProtocolTcp = 1;

    static MariaDbNative() => NativeLibrary.SetDllImportResolver(typeof(MariaDbNative).Assembly, Resolve);

    /// <summary>Loads the library now, so a missing libmariadb3 is reported at start with a fix.</summary>
    public static void EnsureLoaded()
    {
        try
        {
            _ = Marshal.PtrToStringUTF8(GetClientInfo());
        }
        catch (DllNotFoundException e)
        {
            throw new UserStoreUnavailableException(
                "the MariaDB client library libmariadb.so.3 is missing; install it with: apt-get install libmariadb3", e);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }
        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out IntPtr handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    [LibraryImport(LibraryName, EntryPoint = "mysql_get_client_info")]
    private static partial IntPtr GetClientInfo();

    [LibraryImport(LibraryName, EntryPoint = "mysql_init")]
    public static partial MariaDbHandle Init(IntPtr existing);

    [LibraryImport(LibraryName, EntryPoint = "mysql_options")]
    public static unsafe partial int Options(MariaDbHandle mysql, int option, void* argument);

    [LibraryImport(LibraryName, EntryPoint = "mysql_real_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr RealConnect(MariaDbHandle mysql, string host, string user, string password,
        string? database, uint port, string? unixSocket, nuint clientFlags);

    [LibraryImport(LibraryName, EntryPoint = "mysql_close")]
    public static partial void Close(IntPtr mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_errno")]
    public static partial uint Errno(MariaDbHandle mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_error")]
    public static partial IntPtr Error(MariaDbHandle mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_select_db", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SelectDb(MariaDbHandle mysql, string database);

    [LibraryImport(LibraryName, EntryPoint = "mysql_real_query")]
    public static unsafe partial int RealQuery(MariaDbHandle mysql, byte* query, nuint length);

    /// <summary>Escapes for use between single quotes, in the connection's character set (utf8mb4 here);
    /// honours the server's NO_BACKSLASH_ESCAPES mode. <paramref name="to"/> needs 2 * length + 1 bytes.</summary>
    [LibraryImport(LibraryName, EntryPoint = "mysql_real_escape_string")]
    public static unsafe partial nuint RealEscapeString(MariaDbHandle mysql, byte* to, byte* from, nuint length);

    [LibraryImport(LibraryName, EntryPoint = "mysql_store_result")]
    public static partial MariaDbResultHandle StoreResult(MariaDbHandle mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_field_count")]
    public static partial uint FieldCount(MariaDbHandle mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_num_fields")]
    public static partial uint NumFields(MariaDbResultHandle result);

    [LibraryImport(LibraryName, EntryPoint = "mysql_fetch_row")]
    public static partial IntPtr FetchRow(MariaDbResultHandle result);

    [LibraryImport(LibraryName, EntryPoint = "mysql_fetch_lengths")]
    public static partial IntPtr FetchLengths(MariaDbResultHandle result);

    [LibraryImport(LibraryName, EntryPoint = "mysql_free_result")]
    public static partial void FreeResult(IntPtr result);

    [LibraryImport(LibraryName, EntryPoint = "mysql_affected_rows")]
    public static partial ulong AffectedRows(MariaDbHandle mysql);

    [LibraryImport(LibraryName, EntryPoint = "mysql_insert_id")]
    public static partial ulong InsertId(MariaDbHandle mysql);
}

/// <summary>Owns a <c>MYSQL*</c>; closing it frees the connection.</summary>
internal sealed class MariaDbHandle : SafeHandle
{
    public MariaDbHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MariaDbNative.Close(handle);
        return true;
    }
}

/// <summary>Owns a <c>MYSQL_RES*</c> from mysql_store_result.</summary>
internal sealed class MariaDbResultHandle : SafeHandle
{
    public MariaDbResultHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MariaDbNative.FreeResult(handle);
        return true;
    }
}
