using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Client;

/// <summary>What the client asks for and how patiently. Defaults follow RFC 2131 4.1 (first retransmission
/// after 4 s, doubling to 64 s, each randomised by ±1 s).</summary>
public sealed record DhcpClientOptions
{
    public required string Interface { get; init; }
    public required MacAddress Mac { get; init; }

    /// <summary>Give up obtaining a lease after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retransmissions of each DISCOVER or REQUEST before the client gives up on that step.</summary>
    public int Retries { get; init; } = 4;

    /// <summary>Delay before the first retransmission; doubled on each one up to <see cref="MaxRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromSeconds(64);

    /// <summary>After the first OFFER, how long to keep listening for others before choosing (RFC 2131 4.4.1).</summary>
    public TimeSpan OfferWait { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>RFC 2131 3.1 step 5: wait at least ten seconds after a DHCPDECLINE before starting over.</summary>
    public TimeSpan DeclineDelay { get; init; } = TimeSpan.FromSeconds(10);

    public IPv4Address? RequestedAddress { get; init; }
    public string? HostName { get; init; }

    /// <summary>Option 61 as sent; null sends none.</summary>
    public byte[]? ClientIdentifier { get; init; }

    public string? VendorClass { get; init; }

    /// <summary>Ask servers to broadcast their replies (RFC 2131 4.1, the BROADCAST flag) for links where unicast
    /// to an unconfigured address does not arrive.</summary>
    public bool RequestBroadcast { get; init; }

    /// <summary>The default client identifier, type 1 (Ethernet) and the MAC, as busybox udhcpc sends it (RFC 2132 9.14).</summary>
    public static byte[] ClientIdentifierFromMac(MacAddress mac)
    {
        byte[] id = new byte[1 + MacAddress.Length];
        id[0] = 1;
        mac.Write(id.AsSpan(1));
        return id;
    }
}
