using System.Text;
using System.Text.Json;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Leases;

/// <summary>The lease file: JSON Lines, one record per event, the last line for an address wins (like Kea's
/// memfile). <see cref="Append"/> buffers, <see cref="Commit"/> makes everything appended durable with one
/// fsync, so a server can write a burst of ACKed leases and sync once before the ACKs leave.
/// <see cref="Compact"/> rewrites the file with one line per address through a temp file and rename, so a
/// crash leaves either the old or the new file. A torn last line (a crash mid-write) is skipped on load.</summary>
public sealed class LeaseJournal : IDisposable
{
    private readonly string _path;
    private FileStream _stream;
    private readonly MemoryStream _pending = new();
    private int _linesSinceCompaction;

    private LeaseJournal(string path, FileStream stream, int lines)
    {
        _path = path;
        _stream = stream;
        _linesSinceCompaction = lines;
    }

    public string Path => _path;

    /// <summary>Lines in the file, a measure of how much compaction would save.</summary>
    public int LineCount => _linesSinceCompaction;

    /// <summary>Opens (creating it and its directory if needed) and replays the file.</summary>
    public static LeaseJournal Open(string path, out Dictionary<IPv4Address, Lease> leases, out int skippedLines)
    {
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        leases = Load(path, out skippedLines, out int lines);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new LeaseJournal(path, stream, lines);
    }

    /// <summary>Reads a lease file without opening it for writing (the `leases` command, dns-server).</summary>
    public static Dictionary<IPv4Address, Lease> Load(string path, out int skippedLines, out int lines)
    {
        var leases = new Dictionary<IPv4Address, Lease>();
        skippedLines = 0;
        lines = 0;
        if (!File.Exists(path))
        {
            return leases;
        }
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            lines++;
            if (TryParseLine(line, out var lease))
            {
                leases[lease.Address] = lease;
            }
            else
            {
                skippedLines++;
            }
        }
        return leases;
    }

    public void Append(Lease lease)
    {
        _pending.Write(Serialize(lease));
        _pending.WriteByte((byte)'\n');
        _linesSinceCompaction++;
    }

    public bool HasPending => _pending.Length > 0;

    /// <summary>Writes what was appended and fsyncs it.</summary>
    public void Commit()
    {
        if (_pending.Length == 0)
        {
            return;
        }
        _stream.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
        _pending.SetLength(0);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Rewrites the file with the given records only (one per address), atomically.</summary>
    public void Compact(IEnumerable<Lease> current)
    {
        Commit();
        string temporary = _path + ".tmp";
        int lines = 0;
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var lease in current)
            {
                output.Write(Serialize(lease));
                output.WriteByte((byte)'\n');
                lines++;
            }
            output.Flush(flushToDisk: true);
        }
        _stream.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _linesSinceCompaction = lines;
    }

    public void Dispose()
    {
        Commit();
        _stream.Dispose();
        _pending.Dispose();
    }

    /// <summary>The contract format: {"ip","mac","client_id" (hex or null),"hostname" (or null),"expires" (Unix s),"state"}.</summary>
    public static byte[] Serialize(Lease lease)
    {
        using var buffer = new MemoryStream(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ip", lease.Address.ToString());
            json.WriteString("mac", lease.Mac.ToString());
            WriteNullable(json, "client_id", lease.ClientIdHex);
            WriteNullable(json, "hostname", lease.HostName);
            json.WriteNumber("expires", lease.Expires.ToUnixTimeSeconds());
            json.WriteString("state", lease.State.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static bool TryParseLine(string line, out Lease lease)
    {
        lease = null!;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("ip", out var ip) || !IPv4Address.TryParse(ip.GetString(), out var address)
                || !root.TryGetProperty("mac", out var macText) || !MacAddress.TryParse(macText.GetString(), out var mac)
                || !root.TryGetProperty("expires", out var expires) || !expires.TryGetInt64(out long unixSeconds)
                || !root.TryGetProperty("state", out var stateText)
                || !Enum.TryParse<LeaseState>(stateText.GetString(), ignoreCase: true, out var state))
            {
                return false;
            }
            byte[]? clientId = null;
            if (root.TryGetProperty("client_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                string hex = id.GetString()!;
                if (hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
                {
                    return false;
                }
                clientId = Convert.FromHexString(hex);
            }
            string? hostName = root.TryGetProperty("hostname", out var host) && host.ValueKind == JsonValueKind.String ? host.GetString() : null;
            lease = new Lease(address, mac, clientId, hostName, DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, 253402300799)), state);
            return true;
        }
        catch (JsonException)
        {
            // A torn line from a crash mid-write, or a hand edit gone wrong: skipped and counted by the caller.
            return false;
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

}
