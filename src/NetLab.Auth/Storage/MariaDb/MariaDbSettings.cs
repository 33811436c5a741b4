using System.Globalization;

namespace NetLab.Auth.Storage.MariaDb;

/// <summary>Where and how to reach MariaDB/MySQL, parsed from <c>mysql://user:pass@host:port/db</c>
/// (user and password may be percent-encoded).</summary>
public sealed record MariaDbSettings(string Host, int Port, string User, string Password, string Database)
{
    public const int DefaultPort = 3306;

    /// <summary>host:port/db without credentials, for logs.</summary>
    public string Location => $"mysql://{User}@{Host}:{Port}/{Database}";

    public static MariaDbSettings Parse(string spec)
    {
        int scheme = spec.IndexOf("://", StringComparison.Ordinal);
        string rest = scheme < 0 ? spec : spec[(scheme + 3)..];
        int at = rest.LastIndexOf('@');
        int slash = rest.IndexOf('/', at + 1);
        if (at <= 0 || slash < 0)
        {
            throw Bad(spec, "expected user:password@host[:port]/database");
        }
        string userInfo = rest[..at];
        string hostPort = rest[(at + 1)..slash];
        string database = rest[(slash + 1)..];
        int colon = userInfo.IndexOf(':');
        string user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        string password = colon < 0 ? "" : Uri.UnescapeDataString(userInfo[(colon + 1)..]);

        string host = hostPort;
        int port = DefaultPort;
        int portColon = hostPort.LastIndexOf(':');
        if (portColon > 0 && !hostPort.EndsWith(']'))
        {
            host = hostPort[..portColon];
            if (!int.TryParse(hostPort[(portColon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                throw Bad(spec, "the port must be a number from 1 to 65535");
            }
        }
        host = host.Trim('[', ']');
        if (user.Length == 0 || host.Length == 0)
        {
            throw Bad(spec, "user and host are required");
        }
        if (database.Length == 0 || !database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw Bad(spec, "the database name must be letters, digits or _ (e.g. /netlab)");
        }
        return new MariaDbSettings(host, port, user, password, database);
    }

    private static ArgumentException Bad(string spec, string why) =>
        new($"bad MySQL spec '{UserStoreFactory.Redact(spec)}': {why}; example: mysql://netlab:PASSWORD@127.0.0.1:3306/netlab");
}
