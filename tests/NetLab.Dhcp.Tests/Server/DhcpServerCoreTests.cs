using NetLab.Dhcp.Leases;
using NetLab.Dhcp.Server;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Tests.Server;

public class DhcpServerCoreTests
{
    private static readonly IPv4Address Pool0 = IPv4Address.Parse("192.168.10.100");

    [Fact]
    public void Discover_OffersFirstFreeAddressWithConfiguredOptions()
    {
        var kit = new ServerTestKit();
        var outcome = kit.Discover(ServerTestKit.Mac(1));

        var offer = outcome.Reply!;
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(DhcpOperation.BootReply, offer.Operation);
        Assert.Equal(Pool0, offer.YourAddress);
        Assert.Equal(ServerTestKit.ServerIp, offer.ServerIdentifier);
        Assert.Equal(IPv4Address.Parse("255.255.255.0"), offer.SubnetMask);
        Assert.Equal([ServerTestKit.ServerIp], offer.Routers);
        Assert.Equal([ServerTestKit.ServerIp], offer.DnsServers);
        Assert.Equal("lab.test", offer.DomainName);
        Assert.Equal(3600u, offer.LeaseTime);
        Assert.Equal(1800u, offer.RenewalTime);
        Assert.Equal(3150u, offer.RebindingTime);
        Assert.Equal(IPv4Address.Parse("192.168.10.255"), offer.BroadcastAddress);
        Assert.Null(offer.GetOption(DhcpOptionCode.NtpServers));
        Assert.Empty(outcome.Persist);
        // Not broadcast, no ciaddr, no relay: unicast to chaddr and yiaddr (RFC 2131 4.1).
        Assert.Equal(new ReplyDestination(ServerTestKit.Mac(1), Pool0, 68), outcome.Destination);
    }

    [Fact]
    public void Discover_ParameterRequestList_AddsConfiguredExtraOption()
    {
        var kit = new ServerTestKit();
        var discover = ServerTestKit.Message(DhcpMessageType.Discover, ServerTestKit.Mac(1));
        discover.ParameterRequestList = [DhcpOptionCode.SubnetMask, DhcpOptionCode.NtpServers];
        var offer = kit.Core.Handle(discover, ServerTestKit.Mac(1)).Reply!;
        Assert.Equal([ServerTestKit.ServerIp], offer.GetOption(DhcpOptionCode.NtpServers)!.AsAddresses());
    }

    [Fact]
    public void Discover_BroadcastFlag_RepliesToBroadcast()
    {
        var kit = new ServerTestKit();
        Assert.Equal(ReplyDestination.Broadcast, kit.Discover(ServerTestKit.Mac(1), broadcast: true).Destination);
    }

    [Fact]
    public void Dora_AckPersistsLeaseBeforeReply()
    {
        var kit = new ServerTestKit();
        var offer = kit.Discover(ServerTestKit.Mac(1)).Reply!;
        var outcome = kit.Select(ServerTestKit.Mac(1), offer.YourAddress);

        Assert.Equal(DhcpMessageType.Ack, outcome.Reply!.MessageType);
        var lease = Assert.Single(outcome.Persist);
        Assert.Equal(offer.YourAddress, lease.Address);
        Assert.Equal(LeaseState.Active, lease.State);
        Assert.Equal(kit.Time.Now + TimeSpan.FromHours(1), lease.Expires);
    }

    [Fact]
    public void Offer_IsHeldForItsClient_OtherClientsGetOtherAddresses()
    {
        var kit = new ServerTestKit();
        var first = kit.Discover(ServerTestKit.Mac(1)).Reply!.YourAddress;
        var second = kit.Discover(ServerTestKit.Mac(2)).Reply!.YourAddress;
        Assert.NotEqual(first, second);
        // The same client asking again gets the held address.
        Assert.Equal(first, kit.Discover(ServerTestKit.Mac(1)).Reply!.YourAddress);
        // Another client requesting the held address is refused it.
        Assert.Equal(DhcpMessageType.Nak, kit.Select(ServerTestKit.Mac(3), first).Reply!.MessageType);
    }

    [Fact]
    public void Discover_ExistingLease_GetsSameAddressAgain()
    {
        var kit = new ServerTestKit();
        kit.Dora(ServerTestKit.Mac(9));
        var address = kit.Dora(ServerTestKit.Mac(1));
        kit.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(address, kit.Discover(ServerTestKit.Mac(1)).Reply!.YourAddress);
    }

    [Fact]
    public void Discover_RequestedFreeAddress_IsOffered()
    {
        var kit = new ServerTestKit();
        var wanted = IPv4Address.Parse("192.168.10.103");
        Assert.Equal(wanted, kit.Discover(ServerTestKit.Mac(1), wanted).Reply!.YourAddress);
        // Outside the range: the next free address instead.
        Assert.Equal(Pool0, kit.Discover(ServerTestKit.Mac(2), IPv4Address.Parse("192.168.10.50")).Reply!.YourAddress);
    }

    [Fact]
    public void Reservation_WinsOverRequestedAddress()
    {
        var kit = new ServerTestKit();
        var offer = kit.Discover(ServerTestKit.ReservedMac, IPv4Address.Parse("192.168.10.102")).Reply!;
        Assert.Equal(ServerTestKit.ReservedIp, offer.YourAddress);
        // Nobody else gets the reserved address, even by asking for it.
        Assert.Equal(DhcpMessageType.Nak, kit.Select(ServerTestKit.Mac(1), ServerTestKit.ReservedIp).Reply!.MessageType);
    }

    [Fact]
    public void PoolExhausted_NoOffer_Counted()
    {
        var kit = new ServerTestKit(poolSize: 2);
        kit.Dora(ServerTestKit.Mac(1));
        kit.Dora(ServerTestKit.Mac(2));
        var outcome = kit.Discover(ServerTestKit.Mac(3));
        Assert.Null(outcome.Reply);
        Assert.Equal(1, kit.Core.Counters.PoolExhausted);
    }

    [Fact]
    public void ExpiredLease_IsReusedOnlyWhenNoFreshAddressIsLeft()
    {
        var kit = new ServerTestKit(poolSize: 2);
        var first = kit.Dora(ServerTestKit.Mac(1));
        kit.Time.Advance(TimeSpan.FromHours(2));
        Assert.NotEqual(first, kit.Dora(ServerTestKit.Mac(2)));
        Assert.Equal(first, kit.Dora(ServerTestKit.Mac(3)));
    }

    [Fact]
    public void Selecting_OtherServer_DropsOurOfferHold()
    {
        var kit = new ServerTestKit(poolSize: 1);
        var offered = kit.Discover(ServerTestKit.Mac(1)).Reply!.YourAddress;
        Assert.Null(kit.Select(ServerTestKit.Mac(1), offered, IPv4Address.Parse("192.168.10.2")).Reply);
        Assert.Equal(1, kit.Core.Counters.Ignored);
        Assert.Equal(offered, kit.Discover(ServerTestKit.Mac(2)).Reply!.YourAddress);
    }

    [Fact]
    public void InitReboot_OwnAddress_Acked_OtherSubnet_Naked()
    {
        var kit = new ServerTestKit();
        var address = kit.Dora(ServerTestKit.Mac(1));
        var reboot = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(1));
        reboot.RequestedIPAddress = address;
        Assert.Equal(DhcpMessageType.Ack, kit.Core.Handle(reboot, ServerTestKit.Mac(1)).Reply!.MessageType);

        var elsewhere = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(2));
        elsewhere.RequestedIPAddress = IPv4Address.Parse("10.0.0.5");
        var outcome = kit.Core.Handle(elsewhere, ServerTestKit.Mac(2));
        Assert.Equal(DhcpMessageType.Nak, outcome.Reply!.MessageType);
        Assert.Equal(IPv4Address.Any, outcome.Reply.YourAddress);
        Assert.Equal("wrong network", outcome.Reply.GetOption(DhcpOptionCode.Message)!.AsText());
        Assert.Equal(ReplyDestination.Broadcast, outcome.Destination);
    }

    [Fact]
    public void InitReboot_AddressOfAnotherClient_Naked()
    {
        var kit = new ServerTestKit();
        var address = kit.Dora(ServerTestKit.Mac(1));
        var reboot = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(2));
        reboot.RequestedIPAddress = address;
        Assert.Equal(DhcpMessageType.Nak, kit.Core.Handle(reboot, ServerTestKit.Mac(2)).Reply!.MessageType);
    }

    [Fact]
    public void Renewing_ExtendsLease_UnicastToCiaddr()
    {
        var kit = new ServerTestKit();
        var address = kit.Dora(ServerTestKit.Mac(1));
        kit.Time.Advance(TimeSpan.FromMinutes(30));
        var renew = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(1));
        renew.ClientAddress = address;
        var outcome = kit.Core.Handle(renew, ServerTestKit.Mac(1));

        Assert.Equal(DhcpMessageType.Ack, outcome.Reply!.MessageType);
        Assert.Equal(address, outcome.Reply.YourAddress);
        Assert.Equal(kit.Time.Now + TimeSpan.FromHours(1), Assert.Single(outcome.Persist).Expires);
        Assert.Equal(new ReplyDestination(ServerTestKit.Mac(1), address, 68), outcome.Destination);
    }

    [Fact]
    public void Rebinding_AddressLeasedToSomeoneElse_Naked()
    {
        var kit = new ServerTestKit();
        var address = kit.Dora(ServerTestKit.Mac(1));
        var rebind = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(2));
        rebind.ClientAddress = address;
        rebind.Broadcast = true;
        Assert.Equal(DhcpMessageType.Nak, kit.Core.Handle(rebind, ServerTestKit.Mac(2)).Reply!.MessageType);
    }

    [Fact]
    public void Relay_RepliesGoToGiaddrPort67_NakGetsBroadcastBit()
    {
        var kit = new ServerTestKit();
        var relayMac = MacAddress.Parse("02:00:00:00:99:99");
        var discover = ServerTestKit.Message(DhcpMessageType.Discover, ServerTestKit.Mac(1));
        discover.GatewayAddress = IPv4Address.Parse("192.168.10.254");
        var outcome = kit.Core.Handle(discover, relayMac);
        Assert.Equal(new ReplyDestination(relayMac, IPv4Address.Parse("192.168.10.254"), 67), outcome.Destination);
        Assert.Equal(discover.GatewayAddress, outcome.Reply!.GatewayAddress);

        var request = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(2));
        request.GatewayAddress = IPv4Address.Parse("192.168.10.254");
        request.RequestedIPAddress = IPv4Address.Parse("10.1.1.1");
        var nak = kit.Core.Handle(request, relayMac);
        Assert.True(nak.Reply!.Broadcast);
        Assert.Equal(67, nak.Destination.Port);
    }

    [Fact]
    public void Decline_QuarantinesAddress_UntilProbationEnds()
    {
        var kit = new ServerTestKit(poolSize: 1);
        var address = kit.Dora(ServerTestKit.Mac(1));
        var decline = ServerTestKit.Message(DhcpMessageType.Decline, ServerTestKit.Mac(1));
        decline.RequestedIPAddress = address;
        decline.ServerIdentifier = ServerTestKit.ServerIp;
        var outcome = kit.Core.Handle(decline, ServerTestKit.Mac(1));

        Assert.Null(outcome.Reply);
        Assert.Equal(LeaseState.Declined, Assert.Single(outcome.Persist).State);
        Assert.Null(kit.Discover(ServerTestKit.Mac(1)).Reply);
        Assert.Null(kit.Discover(ServerTestKit.Mac(2)).Reply);
        kit.Time.Advance(kit.Config.DeclineProbation + TimeSpan.FromSeconds(1));
        Assert.Equal(address, kit.Discover(ServerTestKit.Mac(2)).Reply!.YourAddress);
    }

    [Fact]
    public void Release_FreesAddress_ButOnlyForItsOwner()
    {
        var kit = new ServerTestKit(poolSize: 1);
        var address = kit.Dora(ServerTestKit.Mac(1));
        var forged = ServerTestKit.Message(DhcpMessageType.Release, ServerTestKit.Mac(2));
        forged.ClientAddress = address;
        Assert.Empty(kit.Core.Handle(forged, ServerTestKit.Mac(2)).Persist);
        Assert.Null(kit.Discover(ServerTestKit.Mac(2)).Reply);

        var release = ServerTestKit.Message(DhcpMessageType.Release, ServerTestKit.Mac(1));
        release.ClientAddress = address;
        release.ServerIdentifier = ServerTestKit.ServerIp;
        Assert.Equal(LeaseState.Released, Assert.Single(kit.Core.Handle(release, ServerTestKit.Mac(1)).Persist).State);
        Assert.Equal(address, kit.Discover(ServerTestKit.Mac(2)).Reply!.YourAddress);
    }

    [Fact]
    public void Inform_AcksOptionsWithoutLease()
    {
        var kit = new ServerTestKit();
        var inform = ServerTestKit.Message(DhcpMessageType.Inform, ServerTestKit.Mac(1));
        inform.ClientAddress = IPv4Address.Parse("192.168.10.50");
        var outcome = kit.Core.Handle(inform, ServerTestKit.Mac(1));

        Assert.Equal(DhcpMessageType.Ack, outcome.Reply!.MessageType);
        Assert.Equal(IPv4Address.Any, outcome.Reply.YourAddress);
        Assert.Null(outcome.Reply.LeaseTime);
        Assert.Equal("lab.test", outcome.Reply.DomainName);
        Assert.Empty(outcome.Persist);
        Assert.Equal(new ReplyDestination(ServerTestKit.Mac(1), inform.ClientAddress, 68), outcome.Destination);
    }

    [Fact]
    public void ArpProbe_NewAddress_ProbedThenOffered_ConflictQuarantinesAndMovesOn()
    {
        var kit = new ServerTestKit(arpProbe: true);
        var first = kit.Discover(ServerTestKit.Mac(1));
        Assert.Null(first.Reply);
        var probe = first.Probe!;
        Assert.Equal(Pool0, probe.Address);
        // While the probe runs another client is served and does not get the probed address.
        var other = kit.Discover(ServerTestKit.Mac(2)).Probe!;
        Assert.NotEqual(probe.Address, other.Address);

        var holder = MacAddress.Parse("02:00:00:00:66:66");
        var afterConflict = kit.Core.CompleteProbe(probe, holder);
        Assert.Equal(LeaseState.Declined, afterConflict.Persist[0].State);
        Assert.Equal(holder, afterConflict.Persist[0].Mac);
        var retry = afterConflict.Probe!;
        Assert.NotEqual(Pool0, retry.Address);
        Assert.NotEqual(other.Address, retry.Address);

        var offer = kit.Core.CompleteProbe(retry, null).Reply!;
        Assert.Equal(retry.Address, offer.YourAddress);
        Assert.Equal(1, kit.Core.Counters.ProbeConflicts);
    }

    [Fact]
    public void ArpProbe_ClientsOwnLease_IsNotProbedAgain()
    {
        var kit = new ServerTestKit(arpProbe: true);
        var probe = kit.Discover(ServerTestKit.Mac(1)).Probe!;
        var offer = kit.Core.CompleteProbe(probe, null).Reply!;
        Assert.Equal(DhcpMessageType.Ack, kit.Select(ServerTestKit.Mac(1), offer.YourAddress).Reply!.MessageType);
        Assert.Equal(offer.YourAddress, kit.Discover(ServerTestKit.Mac(1)).Reply!.YourAddress);
    }

    [Fact]
    public void ClientIdentifier_IdentifiesClientAcrossMacChange()
    {
        var kit = new ServerTestKit();
        var discover = ServerTestKit.Message(DhcpMessageType.Discover, ServerTestKit.Mac(1));
        discover.ClientIdentifier = [0, (byte)'h', (byte)'o', (byte)'s', (byte)'t'];
        var offered = kit.Core.Handle(discover, ServerTestKit.Mac(1)).Reply!.YourAddress;
        var request = ServerTestKit.Message(DhcpMessageType.Request, ServerTestKit.Mac(1));
        request.ClientIdentifier = discover.ClientIdentifier;
        request.ServerIdentifier = ServerTestKit.ServerIp;
        request.RequestedIPAddress = offered;
        kit.Core.Handle(request, ServerTestKit.Mac(1));

        var again = ServerTestKit.Message(DhcpMessageType.Discover, ServerTestKit.Mac(7));
        again.ClientIdentifier = discover.ClientIdentifier;
        Assert.Equal(offered, kit.Core.Handle(again, ServerTestKit.Mac(7)).Reply!.YourAddress);
    }

    [Theory]
    [InlineData(DhcpOperation.BootReply, DhcpMessageType.Discover)]
    [InlineData(DhcpOperation.BootRequest, DhcpMessageType.Offer)]
    [InlineData(DhcpOperation.BootRequest, DhcpMessageType.Ack)]
    public void ServerSideMessages_AreIgnoredAndCounted(DhcpOperation operation, DhcpMessageType type)
    {
        var kit = new ServerTestKit();
        var message = ServerTestKit.Message(type, ServerTestKit.Mac(1));
        message.Operation = operation;
        Assert.Same(DhcpOutcome.None, kit.Core.Handle(message, ServerTestKit.Mac(1)));
        Assert.Equal(1, kit.Core.Counters.Ignored);
    }

    [Fact]
    public void Replay_ActiveLeasesStayWithTheirClients()
    {
        var now = new ManualTime().Now;
        var replayed = new Dictionary<IPv4Address, Lease>
        {
            [Pool0] = new(Pool0, ServerTestKit.Mac(1), null, "one", now + TimeSpan.FromMinutes(10), LeaseState.Active),
        };
        var kit = new ServerTestKit(replayed: replayed);
        Assert.NotEqual(Pool0, kit.Dora(ServerTestKit.Mac(2)));
        Assert.Equal(Pool0, kit.Dora(ServerTestKit.Mac(1)));
    }
}
