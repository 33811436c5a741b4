using System.Globalization;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Client;

/// <summary>What the client needs to know about its interface before it starts, read from /sys/class/net
/// (which belongs to the network namespace the process runs in), with user-ready reasons when it cannot run.</summary>
public sealed record NetworkInterfaceInfo(string Name, MacAddress Mac, bool IsUp)
{
    private const int ArphrdEther = 1;
    private const int IffUp = 0x1;
    private const int CapNetAdmin = 12;
    private const int CapNetRaw = 13;

    public static NetworkInterfaceInfo? Find(string name, string sysClassNet, out string? error)
    {
        error = null;
        string directory = Path.Combine(sysClassNet, name);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || !Directory.Exists(directory))
        {
            IEnumerable<string?> known = Directory.Exists(sysClassNet) ? Directory.GetFileSystemEntries(sysClassNet).Select(Path.GetFileName).Order() : [];
            error = $"no interface named '{name}' in this network namespace (interfaces here: {string.Join(", ", known)})";
            return null;
        }
        if (ReadInt(Path.Combine(directory, "type")) != ArphrdEther)
        {
            error = $"{name} is not an Ethernet interface; DHCP needs one with a MAC address";
            return null;
        }
        if (!MacAddress.TryParse(File.ReadAllText(Path.Combine(directory, "address")).Trim(), out var mac))
        {
            error = $"cannot read the MAC address of {name}";
            return null;
        }
        bool isUp = (ReadInt(Path.Combine(directory, "flags")) & IffUp) != 0;
        return new NetworkInterfaceInfo(name, mac, isUp);
    }

    /// <summary>Whether this process may send raw frames (CAP_NET_RAW) and, if it must configure the interface,
    /// change addresses and routes (CAP_NET_ADMIN); root has both.</summary>
    public static bool HasPrivileges(bool configure, out string? error)
    {
        ulong effective = 0;
        string? line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal))
            : null;
        if (line is not null)
        {
            _ = ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out effective);
        }
        bool raw = (effective & (1UL << CapNetRaw)) != 0;
        bool admin = (effective & (1UL << CapNetAdmin)) != 0;
        if (raw && (admin || !configure))
        {
            error = null;
            return true;
        }
        error = configure
            ? "dhcp-client needs root (CAP_NET_RAW to send raw frames and CAP_NET_ADMIN to configure the interface); run it with sudo"
            : "dhcp-client needs root (CAP_NET_RAW) to send and receive raw DHCP frames; run it with sudo";
        return false;
    }

    private static int ReadInt(string path)
    {
        string text = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int hex) ? hex : 0
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : 0;
    }
}
