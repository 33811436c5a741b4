using NetLab.Auth.Storage.MariaDb;

namespace NetLab.Auth.Storage;

/// <summary>Opens a user store from a spec: <c>sqlite:PATH</c> or <c>mysql://user:pass@host:port/db</c>
/// (also <c>mariadb://</c>). The schema is created on first open.</summary>
public static class UserStoreFactory
{
    public static async Task<IUserStore> OpenAsync(string spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            string path = spec["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new ArgumentException("the sqlite spec has no file name; use e.g. sqlite:auth.db", nameof(spec));
            }
            return await SqliteUserStore.OpenAsync(path, ct).ConfigureAwait(false);
        }
        if (spec.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase)
            || spec.StartsWith("mariadb://", StringComparison.OrdinalIgnoreCase))
        {
            var settings = MariaDbSettings.Parse(spec);
            return await MariaDbUserStore.OpenAsync(settings, ct).ConfigureAwait(false);
        }
        throw new ArgumentException(
            $"unknown database spec '{Redact(spec)}'; use sqlite:FILE or mysql://user:pass@host:3306/dbname", nameof(spec));
    }

    /// <summary>The spec with any password replaced, safe for logs and messages.</summary>
    public static string Redact(string spec)
    {
        int scheme = spec.IndexOf("://", StringComparison.Ordinal);
        int at = spec.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return spec;
        }
        int colon = spec.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? spec[..(colon + 1)] + "***" + spec[at..] : spec;
    }
}
