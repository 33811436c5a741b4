using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Groups DHCP messages into transactions by (xid, client MAC) and flags offers or acks from a server
/// that is not trusted. Without a trusted list, the first server seen is taken as the legitimate one.</summary>
public sealed class DhcpTracker(AlertLog alerts, IReadOnlyCollection<IPv4Address> trustedServers)
{
    private readonly Dictionary<(uint Xid, MacAddress Mac), Transaction> _transactions = [];
    private readonly List<Transaction> _ordered = [];
    private IPv4Address? _firstServer;

    public void Observe(DecodedFrame frame)
    {
        if (frame.Dhcp is not { } dhcp)
        {
            return;
        }
        var key = (dhcp.TransactionId, dhcp.ClientMac);
        if (!_transactions.TryGetValue(key, out var tx))
        {
            tx = new Transaction(dhcp.TransactionId, dhcp.ClientMac);
            _transactions[key] = tx;
            _ordered.Add(tx);
        }
        tx.Messages.Add(dhcp.MessageType);
        tx.HostName ??= dhcp.HostName;
        switch (dhcp.MessageType)
        {
            case "Discover":
                tx.DiscoverTime ??= frame.Timestamp;
                break;
            case "Request":
                tx.DiscoverTime ??= frame.Timestamp; // INIT-REBOOT and renewals start with REQUEST (RFC 2131 4.3.2)
                break;
            case "Ack":
                tx.AckTime ??= frame.Timestamp;
                tx.Address = dhcp.YourIp.IsAny ? dhcp.ClientIp : dhcp.YourIp;
                tx.Server = ServerOf(frame, dhcp);
                break;
            case "Nak":
                tx.Nak = true;
                tx.Server ??= ServerOf(frame, dhcp);
                break;
            default:
                break;
        }
        if (dhcp.IsReply && dhcp.MessageType is "Offer" or "Ack" or "Nak")
        {
            CheckServer(frame, dhcp);
        }
    }

    public int Count => _ordered.Count;

    public IReadOnlyList<DhcpTransactionRow> Rows(int max = int.MaxValue)
    {
        var rows = new List<DhcpTransactionRow>();
        for (int i = 0; i < Math.Min(max, _ordered.Count); i++)
        {
            var tx = _ordered[i];
            rows.Add(new DhcpTransactionRow($"0x{tx.Xid:x8}", tx.Mac.ToString(), tx.Address?.ToString(), tx.Server?.ToString(), tx.HostName, tx.Messages,
                tx.DiscoverTime is { } d && tx.AckTime is { } a ? (a - d).TotalMilliseconds : null,
                tx.AckTime is not null ? "bound" : tx.Nak ? "refused (NAK)" : "incomplete"));
        }
        return rows;
    }

    private static IPv4Address? ServerOf(DecodedFrame frame, DhcpFacts dhcp) =>
        dhcp.ServerIdentifier ?? (frame.SourceIp is { IsV6: false } ip ? ip.AsIPv4 : null);

    private void CheckServer(DecodedFrame frame, DhcpFacts dhcp)
    {
        if (ServerOf(frame, dhcp) is not { } server)
        {
            return;
        }
        bool trusted = trustedServers.Count > 0 ? trustedServers.Contains(server) : (_firstServer ??= server) == server;
        if (!trusted)
        {
            string expected = trustedServers.Count > 0
                ? "trusted: " + string.Join(", ", trustedServers)
                : $"first server seen: {_firstServer}; pass --trusted-dhcp to name the real one";
            alerts.Raise(AlertKinds.RogueDhcp, "high", server.ToString(), frame.Timestamp, frame.Number,
                $"DHCP {dhcp.MessageType} from {server} (MAC {frame.SourceMac}) offering {dhcp.YourIp} to {dhcp.ClientMac}: not a trusted server ({expected})");
        }
    }

    private sealed class Transaction(uint xid, MacAddress mac)
    {
        public uint Xid { get; } = xid;
        public MacAddress Mac { get; } = mac;
        public List<string> Messages { get; } = [];
        public DateTimeOffset? DiscoverTime { get; set; }
        public DateTimeOffset? AckTime { get; set; }
        public IPv4Address? Address { get; set; }
        public IPv4Address? Server { get; set; }
        public string? HostName { get; set; }
        public bool Nak { get; set; }
    }
}
