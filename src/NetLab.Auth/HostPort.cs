using System.Globalization;
using System.Net;

namespace NetLab.Auth;

/// <summary>Parses "HOST:PORT", "[IPv6]:PORT", "HOST" or ":PORT" as given on the command line.</summary>
public static class HostPort
{
    public static bool TryParse(string text, int defaultPort, out string host, out int port, out string? error)
    {
        host = "";
        port = defaultPort;
        error = null;
        string rest = text.Trim();
        string portText = "";
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
            {
                error = $"'{text}': missing ] after the IPv6 address";
                return false;
            }
            host = rest[1..close];
            portText = rest[(close + 1)..].TrimStart(':');
        }
        else if (rest.Count(c => c == ':') == 1)
        {
            host = rest[..rest.IndexOf(':')];
            portText = rest[(rest.IndexOf(':') + 1)..];
        }
        else
        {
            host = rest;
        }
        if (portText.Length > 0
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{text}': the port must be a number from 1 to 65535";
            return false;
        }
        return true;
    }

    /// <summary>A listening endpoint: the host must be an IP address (empty means all IPv4 addresses).</summary>
    public static bool TryParseEndPoint(string text, int defaultPort, out IPEndPoint? endPoint, out string? error)
    {
        endPoint = null;
        if (!TryParse(text, defaultPort, out string host, out int port, out error))
        {
            return false;
        }
        if (host.Length == 0)
        {
            host = "0.0.0.0";
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            error = $"'{text}': listen on an IP address such as 0.0.0.0:12345, 127.0.0.1:12345 or [::]:12345";
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
