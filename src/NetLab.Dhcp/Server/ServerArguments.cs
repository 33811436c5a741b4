using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Server;

/// <summary>Parsers for dhcp-server's flag values, each failing with a message that says what is wrong and
/// what is expected (the host prints it and exits non-zero).</summary>
public static class ServerArguments
{
    /// <summary>dnsmasq/Kea style durations: 45s, 10m, 12h, 2d, 500ms, or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        string value = text.Trim().ToLowerInvariant();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800), ("", 1)];
        foreach (var (suffix, seconds) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && number >= 0 && double.IsFinite(number) && number * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }
        error = $"'{text}' is not a duration; use a number with a unit, e.g. 500ms, 30s, 10m, 1h, 2d";
        return false;
    }

    public static bool TryParseAddress(string text, string flag, out IPv4Address address, out string? error)
    {
        error = IPv4Address.TryParse(text.Trim(), out address) ? null : $"{flag}: '{text}' is not an IPv4 address (expected a dotted quad like 192.168.10.1)";
        return error is null;
    }

    /// <summary>Comma-separated addresses (--dns 192.168.10.1,9.9.9.9); several flag values are joined.</summary>
    public static bool TryParseAddressList(IEnumerable<string> values, string flag, out List<IPv4Address> addresses, out string? error)
    {
        addresses = [];
        foreach (string part in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!TryParseAddress(part, flag, out var address, out error))
            {
                return false;
            }
            addresses.Add(address);
        }
        error = null;
        return true;
    }

    /// <summary>A subnet mask as a dotted quad or a prefix length (24 or /24); holes are rejected.</summary>
    public static bool TryParseMask(string text, out IPv4Address mask, out string? error)
    {
        string value = text.Trim().TrimStart('/');
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) && prefix is >= 0 and <= 32)
        {
            mask = IPv4Address.MaskFromPrefix(prefix);
        }
        else if (!IPv4Address.TryParse(value, out mask))
        {
            error = $"invalid subnet mask '{text}': expected a dotted quad like 255.255.255.0 or a prefix length like 24";
            return false;
        }
        error = mask.PrefixLength < 0 ? $"invalid subnet mask '{text}': the one bits must be contiguous from the left (e.g. 255.255.255.0)" : null;
        return error is null;
    }

    /// <summary>--reserve MAC=IP (dnsmasq's --dhcp-host MAC,IP form is accepted too).</summary>
    public static bool TryParseReservation(string text, out MacAddress mac, out IPv4Address address, out string? error)
    {
        mac = default;
        address = default;
        string[] parts = text.Split('=', ',');
        if (parts.Length != 2 || !MacAddress.TryParse(parts[0], out mac) || !IPv4Address.TryParse(parts[1].Trim(), out address))
        {
            error = $"--reserve '{text}': expected MAC=IP, e.g. 02:00:00:00:00:01=192.168.10.10";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>--dhcp-option CODE,VALUE[,VALUE...] as dnsmasq takes it; the value is typed by the code's
    /// RFC 2132 format (addresses, number, text), and unknown codes take hex octets (01:02:03).</summary>
    public static bool TryParseOption(string text, out DhcpOption? option, out string? error)
    {
        option = null;
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma <= 0 || !byte.TryParse(text.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out byte number)
            || number is 0 or 255 or (byte)DhcpOptionCode.MessageType or (byte)DhcpOptionCode.ServerIdentifier or (byte)DhcpOptionCode.OptionOverload)
        {
            error = $"--dhcp-option '{text}': expected CODE,VALUE with CODE 1-254 (not 53, 54 or 52, which the server sets), e.g. 42,192.168.10.1";
            return false;
        }
        var code = (DhcpOptionCode)number;
        error = null;
        string value = text[(comma + 1)..];
        var format = DhcpOptionFormats.Of(code);
        switch (format)
        {
            case DhcpOptionFormat.Address or DhcpOptionFormat.Addresses or DhcpOptionFormat.AddressPairs:
                if (TryParseAddressList([value], "--dhcp-option", out var addresses, out error))
                {
                    option = DhcpOption.FromAddresses(code, addresses);
                }
                break;
            case DhcpOptionFormat.Byte or DhcpOptionFormat.Flag:
                option = byte.TryParse(value, CultureInfo.InvariantCulture, out byte b) ? DhcpOption.FromByte(code, b) : null;
                break;
            case DhcpOptionFormat.UInt16:
                option = ushort.TryParse(value, CultureInfo.InvariantCulture, out ushort u16) ? DhcpOption.FromUInt16(code, u16) : null;
                break;
            case DhcpOptionFormat.UInt32 or DhcpOptionFormat.Int32:
                option = uint.TryParse(value, CultureInfo.InvariantCulture, out uint u32) ? DhcpOption.FromUInt32(code, u32) : null;
                break;
            case DhcpOptionFormat.Text:
                option = DhcpOption.FromText(code, value);
                break;
            default:
                string hex = value.Replace(":", "", StringComparison.Ordinal);
                option = hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit) ? new DhcpOption(code, Convert.FromHexString(hex)) : null;
                break;
        }
        if (option is not null && !option.HasValidLength)
        {
            option = null;
        }
        error ??= option is null ? $"--dhcp-option '{text}': '{value}' is not a valid {format} value for option {number}" : null;
        return option is not null;
    }

    /// <summary>The NIC's MAC and first IPv4 address with its mask, in this process's network namespace.</summary>
    public static bool TryFindInterface(string name, out MacAddress mac, out IPv4Address? address, out IPv4Address? mask, out string? error)
    {
        mac = default;
        address = null;
        mask = null;
        var all = NetworkInterface.GetAllNetworkInterfaces();
        var nic = all.FirstOrDefault(n => n.Name == name);
        if (nic is null)
        {
            error = $"no interface '{name}' here (available: {string.Join(", ", all.Select(n => n.Name))}); check `ip link`";
            return false;
        }
        byte[] bytes = nic.GetPhysicalAddress().GetAddressBytes();
        if (bytes.Length != MacAddress.Length)
        {
            error = $"interface '{name}' has no Ethernet address; DHCP needs an Ethernet-like link";
            return false;
        }
        mac = MacAddress.Read(bytes);
        var unicast = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        if (unicast is not null)
        {
            address = IPv4Address.FromIPAddress(unicast.Address);
            mask = IPv4Address.MaskFromPrefix(unicast.PrefixLength);
        }
        error = null;
        return true;
    }
}
