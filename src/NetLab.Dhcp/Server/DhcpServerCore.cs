using Microsoft.Extensions.Logging;
using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Server;

/// <summary>The DHCP server's decisions (RFC 2131 4.3), with no network and no file: messages in, outcomes
/// out. Thread-safe: every entry point takes one lock, so the receive thread and probe completions can call
/// it concurrently. Logs one dnsmasq-style line per message.</summary>
public sealed partial class DhcpServerCore
{
    private const int MaxProbeAttempts = 8;
    private static readonly TimeSpan ExhaustionWarningInterval = TimeSpan.FromSeconds(10);

    private readonly DhcpServerConfig _config;
    private readonly LeaseTable _table;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DateTimeOffset _lastExhaustionWarning = DateTimeOffset.MinValue;

    public DhcpServerCore(DhcpServerConfig config, IDictionary<IPv4Address, Lease> replayed, ILogger logger, TimeProvider time)
    {
        _config = config;
        _table = new LeaseTable(config, replayed);
        _logger = logger;
        _time = time;
    }

    public DhcpServerCounters Counters { get; } = new();

    private string Interface => _config.InterfaceName;

    /// <summary>Current records, one per address (for compaction and the tests).</summary>
    public IReadOnlyList<Lease> Snapshot()
    {
        lock (_lock)
        {
            return _table.Records.ToList();
        }
    }

    /// <summary>Counts a frame that could not be decoded.</summary>
    public void CountMalformed(string reason)
    {
        Interlocked.Increment(ref Counters.Malformed);
        LogMalformed(reason);
    }

    /// <summary>Handles one decoded message; <paramref name="frameSource"/> is the Ethernet source (a relay's
    /// MAC when giaddr is set).</summary>
    public DhcpOutcome Handle(DhcpMessage request, MacAddress frameSource)
    {
        lock (_lock)
        {
            Counters.Received++;
            if (Unusable(request) is { } reason)
            {
                return Ignore(request, reason);
            }
            var now = _time.GetUtcNow();
            return request.MessageType switch
            {
                DhcpMessageType.Discover => Discover(request, frameSource, now, attempt: 0),
                DhcpMessageType.Request => Request(request, frameSource, now),
                DhcpMessageType.Decline => Decline(request, now),
                DhcpMessageType.Release => Release(request, now),
                DhcpMessageType.Inform => Inform(request, frameSource),
                _ => Ignore(request, $"message type {request.MessageType} is not one a server answers"),
            };
        }
    }

    /// <summary>Finishes a probe: offers the address when nobody answered, else quarantines it and tries another.</summary>
    public DhcpOutcome CompleteProbe(ProbeRequest probe, MacAddress? conflictingHost)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var client = ClientKey.From(probe.Discover);
            if (conflictingHost is not { } holder)
            {
                _table.Hold(probe.Address, client, now + _config.OfferHold);
                return Offer(probe.Discover, probe.Address, probe.FrameSource);
            }
            Counters.ProbeConflicts++;
            var quarantine = new Lease(probe.Address, holder, null, null, now + _config.DeclineProbation, LeaseState.Declined);
            _table.Set(quarantine);
            _table.ReleaseHoldsOf(client);
            LogConflict(probe.Address, holder, _config.DeclineProbation);
            var next = probe.Attempt + 1 < MaxProbeAttempts ? Discover(probe.Discover, probe.FrameSource, now, probe.Attempt + 1) : DhcpOutcome.None;
            return next with { Persist = [quarantine, .. next.Persist] };
        }
    }

    private static string? Unusable(DhcpMessage request)
    {
        if (request.Operation != DhcpOperation.BootRequest)
        {
            return "not a BOOTREQUEST";
        }
        if (!request.HasMagicCookie || request.MessageType is null)
        {
            return "plain BOOTP (no DHCP message type) is not served";
        }
        if (request.HardwareType != 1 || request.HardwareAddressLength != MacAddress.Length)
        {
            return $"hardware type {request.HardwareType}/length {request.HardwareAddressLength} is not Ethernet";
        }
        return null;
    }

    private DhcpOutcome Discover(DhcpMessage discover, MacAddress frameSource, DateTimeOffset now, int attempt)
    {
        var client = ClientKey.From(discover);
        if (attempt == 0)
        {
            Counters.Discovers++;
            LogMessage("DHCPDISCOVER", Interface, Requested(discover), client.Mac, "");
        }
        if (!RelayIsOurs(discover, out string? relayProblem))
        {
            return Ignore(discover, relayProblem);
        }
        var choice = _table.Choose(client, discover.RequestedIPAddress, now);
        if (choice is not { } chosen)
        {
            Counters.PoolExhausted++;
            LogMessage("DHCPDISCOVER", Interface, "", client.Mac, "no address available");
            if (now - _lastExhaustionWarning >= ExhaustionWarningInterval)
            {
                _lastExhaustionWarning = now;
                var (active, quarantined, held) = _table.Usage(now);
                LogPoolExhausted(_config.RangeStart, _config.RangeEnd, _table.PoolSize, active, quarantined, held);
            }
            return DhcpOutcome.None;
        }
        if (chosen.NewToClient && _config.ArpProbe)
        {
            // Held while the probe runs, so a concurrent DISCOVER from another client picks a different address.
            _table.Hold(chosen.Address, client, now + _config.ProbeTimeout + _config.OfferHold);
            return DhcpOutcome.None with { Probe = new ProbeRequest(chosen.Address, discover, frameSource, attempt) };
        }
        _table.Hold(chosen.Address, client, now + _config.OfferHold);
        return Offer(discover, chosen.Address, frameSource);
    }

    private DhcpOutcome Offer(DhcpMessage discover, IPv4Address address, MacAddress frameSource)
    {
        var reply = BuildReply(discover, DhcpMessageType.Offer, address, withLease: true);
        Counters.Offers++;
        LogMessage("DHCPOFFER", Interface, address.ToString(), discover.ClientMac, "");
        return new DhcpOutcome([], reply, Destination(discover, reply, frameSource), null);
    }

    /// <summary>RFC 2131 4.3.2: the client's state shows in which of server identifier, requested address
    /// and ciaddr it fills in.</summary>
    private DhcpOutcome Request(DhcpMessage request, MacAddress frameSource, DateTimeOffset now)
    {
        Counters.Requests++;
        var client = ClientKey.From(request);
        var serverId = request.ServerIdentifier;
        var requested = request.RequestedIPAddress;
        LogMessage("DHCPREQUEST", Interface, (requested ?? request.ClientAddress).ToString(), client.Mac, "");
        if (!RelayIsOurs(request, out string? relayProblem))
        {
            return Ignore(request, relayProblem);
        }
        if (serverId is { } chosenServer)
        {
            // SELECTING: the client answers one server's offer; the others drop their offers.
            if (chosenServer != _config.ServerIp)
            {
                _table.ReleaseHoldsOf(client);
                return Ignore(request, $"client chose server {chosenServer}");
            }
            var address = requested ?? request.ClientAddress;
            return address.IsAny ? Nak(request, frameSource, address, "no requested address")
                : _table.IsAvailableFor(address, client, now) ? Ack(request, address, frameSource, now)
                : Nak(request, frameSource, address, "address not available");
        }
        if (requested is { } wanted)
        {
            // INIT-REBOOT: the client checks the address it remembers.
            if (!_config.InSubnet(wanted))
            {
                return Nak(request, frameSource, wanted, "wrong network");
            }
            return _table.IsAvailableFor(wanted, client, now) ? Ack(request, wanted, frameSource, now)
                : Nak(request, frameSource, wanted, "address not available");
        }
        if (!request.ClientAddress.IsAny)
        {
            // RENEWING (unicast) or REBINDING (broadcast): extend the lease on ciaddr.
            var current = request.ClientAddress;
            if (!_config.InSubnet(current))
            {
                return Ignore(request, $"ciaddr {current} is not on {_config.SubnetText}");
            }
            return _table.IsAvailableFor(current, client, now) ? Ack(request, current, frameSource, now)
                : Nak(request, frameSource, current, "lease not found");
        }
        return Ignore(request, "REQUEST without server identifier, requested address or ciaddr");
    }

    private DhcpOutcome Ack(DhcpMessage request, IPv4Address address, MacAddress frameSource, DateTimeOffset now)
    {
        var client = ClientKey.From(request);
        var lease = new Lease(address, client.Mac, client.ClientId, request.HostName, now + _config.LeaseTime, LeaseState.Active);
        _table.Set(lease);
        _table.ReleaseHoldsOf(client);
        var reply = BuildReply(request, DhcpMessageType.Ack, address, withLease: true);
        Counters.Acks++;
        LogMessage("DHCPACK", Interface, address.ToString(), client.Mac, request.HostName ?? "");
        return new DhcpOutcome([lease], reply, Destination(request, reply, frameSource), null);
    }

    private DhcpOutcome Nak(DhcpMessage request, MacAddress frameSource, IPv4Address address, string reason)
    {
        var reply = NewReply(request, DhcpMessageType.Nak);
        reply.ClientAddress = IPv4Address.Any;
        reply.SetOption(DhcpOption.FromText(DhcpOptionCode.Message, reason));
        if (!request.GatewayAddress.IsAny)
        {
            // RFC 2131 4.3.2: a NAK through a relay asks it to broadcast to the client.
            reply.Broadcast = true;
        }
        Counters.Naks++;
        LogMessage("DHCPNAK", Interface, address.ToString(), request.ClientMac, reason);
        return new DhcpOutcome([], reply, Destination(request, reply, frameSource), null);
    }

    private DhcpOutcome Decline(DhcpMessage decline, DateTimeOffset now)
    {
        Counters.Declines++;
        var client = ClientKey.From(decline);
        var address = decline.RequestedIPAddress ?? IPv4Address.Any;
        LogMessage("DHCPDECLINE", Interface, address.ToString(), client.Mac, "");
        if (decline.ServerIdentifier is { } serverId && serverId != _config.ServerIp)
        {
            return Ignore(decline, $"declines an address of server {serverId}");
        }
        if (_table.Get(address) is not { } lease || !client.Owns(lease) || lease.State != LeaseState.Active)
        {
            return Ignore(decline, $"{address} is not leased to this client");
        }
        // RFC 2131 4.3.3: the address is in use by someone else; keep it out of the pool for a while.
        var quarantine = lease with { Expires = now + _config.DeclineProbation, State = LeaseState.Declined };
        _table.Set(quarantine);
        LogQuarantined(address, client.Mac, _config.DeclineProbation);
        return DhcpOutcome.None with { Persist = [quarantine] };
    }

    private DhcpOutcome Release(DhcpMessage release, DateTimeOffset now)
    {
        Counters.Releases++;
        var client = ClientKey.From(release);
        var address = release.ClientAddress;
        LogMessage("DHCPRELEASE", Interface, address.ToString(), client.Mac, "");
        if (release.ServerIdentifier is { } serverId && serverId != _config.ServerIp)
        {
            return Ignore(release, $"releases a lease of server {serverId}");
        }
        if (_table.Get(address) is not { } lease || !client.Owns(lease) || lease.State != LeaseState.Active)
        {
            return Ignore(release, $"{address} is not leased to this client");
        }
        var released = lease with { Expires = now, State = LeaseState.Released };
        _table.Set(released);
        return DhcpOutcome.None with { Persist = [released] };
    }

    /// <summary>RFC 2131 3.4: a client with an address configured by other means asks for options only.</summary>
    private DhcpOutcome Inform(DhcpMessage inform, MacAddress frameSource)
    {
        Counters.Informs++;
        LogMessage("DHCPINFORM", Interface, inform.ClientAddress.ToString(), inform.ClientMac, "");
        var reply = BuildReply(inform, DhcpMessageType.Ack, IPv4Address.Any, withLease: false);
        Counters.Acks++;
        LogMessage("DHCPACK", Interface, inform.ClientAddress.ToString(), inform.ClientMac, "");
        return new DhcpOutcome([], reply, Destination(inform, reply, frameSource), null);
    }

    private bool RelayIsOurs(DhcpMessage message, out string? problem)
    {
        // One subnet is served: a relay must sit on it.
        problem = message.GatewayAddress.IsAny || _config.InSubnet(message.GatewayAddress) ? null
            : $"relayed from {message.GatewayAddress}, which is not on {_config.SubnetText}";
        return problem is null;
    }

    private DhcpMessage NewReply(DhcpMessage request, DhcpMessageType type)
    {
        var reply = new DhcpMessage
        {
            Operation = DhcpOperation.BootReply,
            HardwareType = request.HardwareType,
            HardwareAddressLength = request.HardwareAddressLength,
            TransactionId = request.TransactionId,
            Flags = request.Flags,
            ClientAddress = request.ClientAddress,
            GatewayAddress = request.GatewayAddress,
            ClientHardwareAddress = (byte[])request.ClientHardwareAddress.Clone(),
        };
        reply.MessageType = type;
        reply.ServerIdentifier = _config.ServerIp;
        return reply;
    }

    /// <summary>RFC 2132 options: the ones every client needs, then configured extras the client asked for.</summary>
    private DhcpMessage BuildReply(DhcpMessage request, DhcpMessageType type, IPv4Address yourAddress, bool withLease)
    {
        var reply = NewReply(request, type);
        reply.YourAddress = yourAddress;
        if (withLease)
        {
            uint seconds = (uint)_config.LeaseTime.TotalSeconds;
            reply.LeaseTime = seconds;
            // RFC 2131 4.4.5: T1 defaults to half the lease, T2 to 7/8 of it.
            reply.RenewalTime = seconds / 2;
            reply.RebindingTime = (uint)(seconds * 7UL / 8);
        }
        reply.SubnetMask = _config.SubnetMask;
        if (_config.Routers.Count > 0)
        {
            reply.Routers = _config.Routers;
        }
        if (_config.DnsServers.Count > 0)
        {
            reply.DnsServers = _config.DnsServers;
        }
        if (_config.Domain is { } domain)
        {
            reply.DomainName = domain;
        }
        reply.BroadcastAddress = _config.SubnetBroadcast;
        if (request.ParameterRequestList is { } wanted)
        {
            foreach (var option in _config.ExtraOptions.Where(o => wanted.Contains(o.Code)))
            {
                reply.SetOption(option);
            }
        }
        return reply;
    }

    /// <summary>RFC 2131 4.1, in its order: relay, NAK broadcast, ciaddr unicast, broadcast flag, else chaddr/yiaddr.</summary>
    private static ReplyDestination Destination(DhcpMessage request, DhcpMessage reply, MacAddress frameSource)
    {
        if (!request.GatewayAddress.IsAny)
        {
            return new ReplyDestination(frameSource, request.GatewayAddress, DhcpMessage.ServerPort);
        }
        if (reply.MessageType == DhcpMessageType.Nak)
        {
            return ReplyDestination.Broadcast;
        }
        if (!request.ClientAddress.IsAny)
        {
            return new ReplyDestination(request.ClientMac, request.ClientAddress, DhcpMessage.ClientPort);
        }
        if (request.Broadcast)
        {
            return ReplyDestination.Broadcast;
        }
        return new ReplyDestination(request.ClientMac, reply.YourAddress, DhcpMessage.ClientPort);
    }

    private DhcpOutcome Ignore(DhcpMessage message, string? reason)
    {
        Counters.Ignored++;
        LogIgnored(message.MessageType?.ToString() ?? message.Operation.ToString(), message.ClientMac, reason ?? "");
        return DhcpOutcome.None;
    }

    private static string Requested(DhcpMessage message) => message.RequestedIPAddress?.ToString() ?? "";

    /// <summary>dnsmasq's line shape: DHCPACK(eth0) 192.168.10.101 02:00:00:00:00:01 client1.</summary>
    private void LogMessage(string type, string @interface, string address, MacAddress mac, string detail)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            string line = string.Join(' ', new[] { $"{type}({@interface})", address, mac.ToString(), detail }.Where(p => p.Length > 0));
            LogLine(line);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private partial void LogLine(string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ignored {Type} from {Mac}: {Reason}")]
    private partial void LogIgnored(string type, MacAddress mac, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "malformed frame dropped: {Reason}")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "address pool {Start}-{End} exhausted: {Size} addresses, {Active} leased, {Quarantined} quarantined, {Held} offered; no offer made")]
    private partial void LogPoolExhausted(IPv4Address start, IPv4Address end, int size, int active, int quarantined, int held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARP probe: {Address} is already used by {Holder}; quarantined for {Probation}, offering another address")]
    private partial void LogConflict(IPv4Address address, MacAddress holder, TimeSpan probation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Address} declined by {Mac} (in use on the link); quarantined for {Probation}")]
    private partial void LogQuarantined(IPv4Address address, MacAddress mac, TimeSpan probation);
}
