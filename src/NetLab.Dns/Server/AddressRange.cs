using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NetLab.Dns.Server;

/// <summary>A CIDR block (192.168.10.0/24, ::1/128); a bare address is a single host.</summary>
public sealed record AddressRange(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out AddressRange? range)
    {
        range = null;
        string[] parts = text.Split('/');
        if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out var address))
        {
            return false;
        }
        int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = bits;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }
        range = new AddressRange(address, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out int length);
        Network.TryWriteBytes(n, out _);
        int full = PrefixLength / 8;
        if (!a[..full].SequenceEqual(n[..full]))
        {
            return false;
        }
        int rest = PrefixLength % 8;
        if (rest == 0 || full >= length)
        {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (n[full] & mask);
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
