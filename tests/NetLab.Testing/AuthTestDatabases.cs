using Xunit;

namespace NetLab.Testing;

/// <summary>The user-store backends the auth tests run on: SQLite always, MariaDB when scripts/test.sh
/// started a private server and exported NETLAB_TEST_MYSQL (mysql://netlab:PASS@127.0.0.1:PORT/netlab).
/// The outage test stops and restarts a server, so it starts its own (<see cref="PrivateMariaDb"/>).</summary>
public static class AuthTestDatabases
{
    public const string Sqlite = "sqlite";
    public const string MySql = "mysql";

    public static string? MySqlSpec { get; } = Environment.GetEnvironmentVariable("NETLAB_TEST_MYSQL") is { Length: > 0 } spec ? spec : null;

    public const string MySqlSkipReason =
        "needs a MariaDB server: NETLAB_TEST_MYSQL is not set (scripts/test.sh starts one with scripts/lib/mariadb.sh)";

    /// <summary>Backend names for a [Theory]: MariaDB only when a server is available (the [MySqlFact]
    /// tests say why it is skipped otherwise).</summary>
    public static TheoryData<string> Backends
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (MySqlSpec is not null)
            {
                data.Add(MySql);
            }
            return data;
        }
    }

    /// <summary>A spec for a new, empty store of that backend: a new SQLite file in the directory, or a
    /// new database on the test MariaDB server.</summary>
    public static string FreshSpec(string backend, string directory) => backend switch
    {
        Sqlite => "sqlite:" + Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db"),
        MySql => FreshMySqlSpec(),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "sqlite or mysql"),
    };

    public static string FreshMySqlSpec()
    {
        string spec = MySqlSpec ?? throw new InvalidOperationException(MySqlSkipReason);
        return spec[..(spec.LastIndexOf('/') + 1)] + "t" + Guid.NewGuid().ToString("N")[..16];
    }
}

/// <summary>A fact that needs the shared test MariaDB server.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MySqlFactAttribute : FactAttribute
{
    public MySqlFactAttribute()
    {
        if (AuthTestDatabases.MySqlSpec is null)
        {
            Skip = AuthTestDatabases.MySqlSkipReason;
        }
    }
}

/// <summary>A fact that starts its own MariaDB (mariadbd and mariadb-install-db needed).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrivateMariaDbFactAttribute : FactAttribute
{
    public PrivateMariaDbFactAttribute() => Skip = PrivateMariaDb.SkipReason;
}
