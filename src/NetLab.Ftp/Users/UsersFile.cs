using NetLab.Auth.Passwords;

namespace NetLab.Ftp.Users;

/// <summary>A users file: one "name:pbkdf2-sha256$iterations$salt$hash" line per user, '#' comments.
/// Hashes come from <see cref="PasswordHasher"/> (PBKDF2-SHA256, per-user salt).</summary>
public sealed class UsersFile : IFtpUserDirectory
{
    private readonly Dictionary<string, string> _hashes;

    private UsersFile(Dictionary<string, string> hashes) => _hashes = hashes;

    public int Count => _hashes.Count;

    /// <summary>Loads the file; throws <see cref="FormatException"/> naming the bad line.</summary>
    public static UsersFile Load(string path) => new(ReadEntries(path));

    public ValueTask<bool?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
        => ValueTask.FromResult<bool?>(_hashes.TryGetValue(userName, out string? stored)
            ? PasswordHasher.Verify(password, stored) : null);

    /// <summary>Adds or replaces a user, rewriting the file atomically (temp file + rename, mode 0600).</summary>
    public static void AddUser(string path, string userName, string password, int iterations = 600_000)
    {
        if (!IsValidUserName(userName))
        {
            throw new ArgumentException($"user name '{userName}' must be 1-64 characters without ':', spaces or control characters", nameof(userName));
        }
        var entries = File.Exists(path) ? ReadEntries(path) : new Dictionary<string, string>(StringComparer.Ordinal);
        entries[userName] = PasswordHasher.Hash(password, iterations);
        string temp = path + ".tmp-" + Environment.ProcessId;
        using (var writer = new StreamWriter(temp))
        {
            if (!OperatingSystem.IsWindows())
            {
                // Only the owner may read the hashes; set before anything is written.
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            writer.WriteLine("# NetLab ftp-server users: name:PBKDF2-SHA256 record (ftp-server adduser --users FILE NAME)");
            foreach (var (name, hash) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteLine($"{name}:{hash}");
            }
        }
        File.Move(temp, path, overwrite: true);
    }

    public static bool IsValidUserName(string name)
        => name.Length is > 0 and <= 64 && !name.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c));

    private static Dictionary<string, string> ReadEntries(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line[(colon + 1)..].StartsWith("pbkdf2-sha256$", StringComparison.Ordinal))
            {
                throw new FormatException($"{path} line {lineNumber}: expected name:pbkdf2-sha256$...; add users with 'ftp-server adduser --users {path} NAME'");
            }
            entries[line[..colon]] = line[(colon + 1)..];
        }
        return entries;
    }
}
