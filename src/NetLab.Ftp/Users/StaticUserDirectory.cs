using System.Security.Cryptography;
using System.Text;

namespace NetLab.Ftp.Users;

/// <summary>Users given on the command line (--user NAME:PASSWORD). Only SHA-256 digests are kept in
/// memory and compared in constant time.</summary>
public sealed class StaticUserDirectory : IFtpUserDirectory
{
    private readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);

    public StaticUserDirectory(IEnumerable<(string Name, string Password)> users)
    {
        foreach (var (name, password) in users)
        {
            _digests[name] = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        }
    }

    /// <summary>Splits "NAME:PASSWORD" (the password may contain ':').</summary>
    public static bool TryParse(string text, out (string Name, string Password) user)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        user = colon > 0 ? (text[..colon], text[(colon + 1)..]) : default;
        return colon > 0;
    }

    public ValueTask<bool?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        if (!_digests.TryGetValue(userName, out byte[]? expected))
        {
            return ValueTask.FromResult<bool?>(null);
        }
        byte[] actual = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        return ValueTask.FromResult<bool?>(CryptographicOperations.FixedTimeEquals(expected, actual));
    }
}
