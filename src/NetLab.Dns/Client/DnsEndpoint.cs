using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace NetLab.Dns.Client;

/// <summary>Parses "IP", "IP:PORT", "IPv6" and "[IPv6]:PORT" as flags give them; port 53 unless stated.</summary>
public static class DnsEndpoint
{
    public const int DefaultPort = 53;

    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        // IPAddress.TryParse would accept "[::1]:5353" and drop the port, so endpoints are parsed as such first.
        if (!IPEndPoint.TryParse(text, out var parsed))
        {
            return false;
        }
        bool portGiven = text.StartsWith('[')
            ? text.Contains("]:", StringComparison.Ordinal)
            : parsed.AddressFamily == AddressFamily.InterNetwork && text.Contains(':', StringComparison.Ordinal);
        if (portGiven && parsed.Port == 0)
        {
            return false;
        }
        endpoint = portGiven ? parsed : new IPEndPoint(parsed.Address, DefaultPort);
        return true;
    }
}
