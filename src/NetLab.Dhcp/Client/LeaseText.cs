using System.Globalization;
using System.Text;

namespace NetLab.Dhcp.Client;

/// <summary>The lease as the aligned text block dhcp-client prints (one "name value" pair a line, so
/// `awk '$1=="dns"{print $2}'` works too).</summary>
public static class LeaseText
{
    public static string Format(DhcpLease lease)
    {
        var text = new StringBuilder();
        Line(text, "interface", lease.Interface);
        Line(text, "address", $"{lease.Address}/{lease.PrefixLength}");
        Line(text, "mask", lease.SubnetMask.ToString());
        Line(text, "router", Join(lease.Routers));
        Line(text, "dns", Join(lease.DnsServers));
        Line(text, "domain", lease.DomainName ?? "-");
        Line(text, "lease", lease.IsInfinite ? "infinite"
            : string.Create(CultureInfo.InvariantCulture, $"{lease.LeaseSeconds}s (renew {lease.RenewalSeconds}s, rebind {lease.RebindingSeconds}s)"));
        Line(text, "server", lease.ServerIdentifier.ToString());
        if (!lease.IsInfinite)
        {
            Line(text, "expires", lease.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static string Join<T>(IReadOnlyList<T> items) => items.Count == 0 ? "-" : string.Join(' ', items);

    private static void Line(StringBuilder text, string name, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{name,-10} {value}\n");
}
