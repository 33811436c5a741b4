using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetLab.Dns.Client;

/// <summary>Parses "IP", "IP:PORT" and "[IPv6]:PORT" as flags give them; port 53 unless stated.</summary>
public static class DnsEndpoint
{
    public const int DefaultPort = 53;

    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (IPAddress.TryParse(text, out var bare))
        {
            endpoint = new IPEndPoint(bare, DefaultPort);
            return true;
        }
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0)
        {
            return false;
        }
        endpoint = parsed;
        return true;
    }
}
