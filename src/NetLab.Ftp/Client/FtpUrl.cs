using System.Diagnostics.CodeAnalysis;

namespace NetLab.Ftp.Client;

/// <summary>ftp://user:pass@host[:port]/path (RFC 1738 section 3.2); user and password percent-decoded,
/// anonymous when absent.</summary>
public sealed record FtpUrl(string Host, int Port, string User, string Password, string Path)
{
    public const int DefaultPort = 21;

    public static bool TryParse(string text, [NotNullWhen(true)] out FtpUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "ftp")
        {
            error = $"'{text}' is not an ftp:// URL; use ftp://user:pass@host[:port]/path";
            return false;
        }
        if (uri.Host.Length == 0)
        {
            error = $"'{text}' has no host";
            return false;
        }
        string user = "anonymous";
        string password = "anonymous@";
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        url = new FtpUrl(uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, user, password, path);
        error = null;
        return true;
    }

    /// <summary>True when the path names a directory (ends with '/').</summary>
    public bool IsDirectoryPath => Path.EndsWith('/');

    /// <summary>The URL's path joined with a name when it names a directory.</summary>
    public string Join(string name) => IsDirectoryPath ? Path + name : Path;
}
