using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Client;

/// <summary>The client states of RFC 2131 4.4 (figure 5): INIT → SELECTING → REQUESTING → BOUND, INIT-REBOOT
/// → REBOOTING → BOUND on restart with a saved lease, and BOUND → RENEWING (T1, unicast) → REBINDING (T2,
/// broadcast) → INIT at expiry. Network access goes through <see cref="IDhcpClientTransport"/>, so the
/// machine runs the same against a NIC and against an in-memory peer.</summary>
public sealed class DhcpClient
{
    /// <summary>The options a lab client needs (RFC 2132): mask, router, DNS, host and domain name, broadcast,
    /// lease time, server identifier, T1 and T2.</summary>
    private static readonly DhcpOptionCode[] ParameterRequestList =
    [
        DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer, DhcpOptionCode.HostName,
        DhcpOptionCode.DomainName, DhcpOptionCode.BroadcastAddress, DhcpOptionCode.LeaseTime,
        DhcpOptionCode.ServerIdentifier, DhcpOptionCode.RenewalTime, DhcpOptionCode.RebindingTime,
    ];

    /// <summary>RFC 2131 4.4.5: retransmit in RENEWING/REBINDING after half the remaining time, but not more
    /// often than once a minute.</summary>
    private static readonly TimeSpan MinimumRenewRetransmission = TimeSpan.FromSeconds(60);

    private const uint DefaultLeaseSeconds = 3600;

    private readonly DhcpClientOptions _options;
    private readonly IDhcpClientTransport _transport;
    private readonly IAddressConflictProbe? _probe;
    private readonly ILeaseEvents _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Addresses declined during this acquisition: never asked for again, so a server that
    /// honours option 50 does not hand the same conflicting address back.</summary>
    private readonly HashSet<IPv4Address> _declined = [];

    public DhcpClient(DhcpClientOptions options, IDhcpClientTransport transport, IAddressConflictProbe? probe,
        ILeaseEvents events, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _transport = transport;
        _probe = probe;
        _events = events;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The state the client is in, for logs and tests.</summary>
    public DhcpClientState State { get; private set; } = DhcpClientState.Init;

    /// <summary>Whether any server answered during the last <see cref="AcquireAsync"/> (to tell "no server on this
    /// link" from "servers refused").</summary>
    public bool AnyServerAnswered { get; private set; }

    /// <summary>Obtains a lease within <see cref="DhcpClientOptions.Timeout"/>: INIT-REBOOT first when a saved,
    /// unexpired lease for this interface and MAC is given, then INIT. Null when no server gave one in time.
    /// Reports the Bound event (or LeaseFail) before returning.</summary>
    public async Task<DhcpLease?> AcquireAsync(DhcpLease? saved, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.Timeout;
        AnyServerAnswered = false;
        _declined.Clear();
        DhcpLease? lease = null;
        if (saved is not null && saved.Interface == _options.Interface && saved.ClientMac == _options.Mac
            && !saved.IsExpired(_time.GetUtcNow()))
        {
            lease = await RebootAsync(saved, deadline, cancellationToken).ConfigureAwait(false);
        }
        while (lease is null && _time.GetUtcNow() < deadline)
        {
            var outcome = await DiscoverAndRequestAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (outcome.NoServer)
            {
                break;
            }
            lease = outcome.Lease;
        }
        if (lease is null)
        {
            State = DhcpClientState.Init;
            await _events.OnLeaseEventAsync(LeaseEvent.LeaseFail, null, null, cancellationToken).ConfigureAwait(false);
            return null;
        }
        State = DhcpClientState.Bound;
        await _events.OnLeaseEventAsync(LeaseEvent.Bound, lease, null, cancellationToken).ConfigureAwait(false);
        return lease;
    }

    /// <summary>Keeps <paramref name="lease"/> alive (RENEWING at T1, REBINDING at T2) until cancelled, returning
    /// the current lease then; returns null when the lease is lost (NAK or expiry) after reporting Deconfig.</summary>
    public async Task<DhcpLease?> MaintainAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                State = DhcpClientState.Bound;
                await DelayUntilAsync(lease.RenewAt, cancellationToken).ConfigureAwait(false);
                var renewed = await ExtendAsync(lease, cancellationToken).ConfigureAwait(false);
                if (renewed is null)
                {
                    State = DhcpClientState.Init;
                    await _events.OnLeaseEventAsync(LeaseEvent.Deconfig, null, null, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                var leaseEvent = renewed.Address == lease.Address ? LeaseEvent.Renew : LeaseEvent.Bound;
                lease = renewed;
                await _events.OnLeaseEventAsync(leaseEvent, lease, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return lease;
        }
    }

    /// <summary>DHCPRELEASE (RFC 2131 4.4.6): unicast to the server, ciaddr and server identifier set; no reply.</summary>
    public async Task ReleaseAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        var release = NewMessage(DhcpMessageType.Release, NewTransactionId(), seconds: 0, includeParameters: false);
        release.ClientAddress = lease.Address;
        release.ServerIdentifier = lease.ServerIdentifier;
        _logger.LogInformation("DHCPRELEASE of {Address} to {Server}", lease.Address, lease.ServerIdentifier);
        await _transport.SendAsync(release, new DhcpDestination(lease.Address, lease.ServerIdentifier, lease.ServerMac), cancellationToken)
            .ConfigureAwait(false);
        State = DhcpClientState.Init;
    }

    /// <summary>INIT-REBOOT (RFC 2131 3.2): broadcast REQUEST for the saved address without a server identifier.
    /// A NAK or silence sends the client to INIT.</summary>
    private async Task<DhcpLease?> RebootAsync(DhcpLease saved, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        State = DhcpClientState.Rebooting;
        uint xid = NewTransactionId();
        var started = _time.GetUtcNow();
        _logger.LogInformation("INIT-REBOOT: DHCPREQUEST for saved address {Address} (xid 0x{Xid:x8})", saved.Address, xid);
        var exchange = await ExchangeAsync(
            seconds => NewRequest(xid, seconds, saved.Address, serverIdentifier: null, clientAddress: IPv4Address.Any),
            DhcpDestination.Broadcast(IPv4Address.Any), xid, AcceptAckOrNak(server: null), started, deadline, cancellationToken)
            .ConfigureAwait(false);
        if (exchange is not { } reply)
        {
            _logger.LogInformation("no answer to INIT-REBOOT for {Address}; starting over with DHCPDISCOVER", saved.Address);
            return null;
        }
        if (reply.Reply.Message.MessageType == DhcpMessageType.Nak)
        {
            await ReportNakAsync(reply.Reply, cancellationToken).ConfigureAwait(false);
            return null;
        }
        return await CheckAndAcceptAsync(reply.Reply, reply.SentAt, cancellationToken).ConfigureAwait(false);
    }

    private readonly record struct Outcome(DhcpLease? Lease, bool NoServer);

    /// <summary>One INIT → SELECTING → REQUESTING round. NoServer when no OFFER came at all.</summary>
    private async Task<Outcome> DiscoverAndRequestAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        State = DhcpClientState.Selecting;
        uint xid = NewTransactionId();
        var started = _time.GetUtcNow();
        _logger.LogInformation("DHCPDISCOVER on {Interface} (xid 0x{Xid:x8})", _options.Interface, xid);
        var first = await ExchangeAsync(seconds => NewDiscover(xid, seconds), DhcpDestination.Broadcast(IPv4Address.Any),
            xid, AcceptOffer, started, deadline, cancellationToken).ConfigureAwait(false);
        if (first is not { } firstOffer)
        {
            return new Outcome(null, NoServer: true);
        }
        var offer = await ChooseOfferAsync(firstOffer.Reply, xid, deadline, cancellationToken).ConfigureAwait(false);
        var offered = offer.Message.YourAddress;
        var server = ServerOf(offer);

        State = DhcpClientState.Requesting;
        _logger.LogInformation("DHCPREQUEST for {Address} to {Server}", offered, server);
        var answer = await ExchangeAsync(seconds => NewRequest(xid, seconds, offered, server, IPv4Address.Any),
            DhcpDestination.Broadcast(IPv4Address.Any), xid, AcceptAckOrNak(server), started, deadline, cancellationToken)
            .ConfigureAwait(false);
        if (answer is not { } ackOrNak)
        {
            _logger.LogWarning("no DHCPACK from {Server} for {Address}; starting over", server, offered);
            return new Outcome(null, NoServer: false);
        }
        if (ackOrNak.Reply.Message.MessageType == DhcpMessageType.Nak)
        {
            await ReportNakAsync(ackOrNak.Reply, cancellationToken).ConfigureAwait(false);
            return new Outcome(null, NoServer: false);
        }
        var lease = await CheckAndAcceptAsync(ackOrNak.Reply, ackOrNak.SentAt, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            await DelayUntilAsync(Min(_time.GetUtcNow() + _options.DeclineDelay, deadline), cancellationToken).ConfigureAwait(false);
        }
        return new Outcome(lease, NoServer: false);
    }

    /// <summary>RFC 2131 4.4.1: the client may wait for several offers; it prefers the one for the address it
    /// asked for, else the first.</summary>
    private async Task<DhcpReply> ChooseOfferAsync(DhcpReply first, uint xid, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        LogOffer(first);
        var chosen = first;
        var until = Min(_time.GetUtcNow() + _options.OfferWait, deadline);
        while (_options.RequestedAddress is { } wanted && !_declined.Contains(wanted) && chosen.Message.YourAddress != wanted)
        {
            var more = await ReceiveMatchingAsync(xid, AcceptOffer, until, cancellationToken).ConfigureAwait(false);
            if (more is null)
            {
                break;
            }
            LogOffer(more);
            if (more.Message.YourAddress == wanted)
            {
                chosen = more;
            }
        }
        return chosen;
    }

    private void LogOffer(DhcpReply offer) =>
        _logger.LogInformation("DHCPOFFER of {Address} from {Server}", offer.Message.YourAddress, ServerOf(offer));

    /// <summary>RFC 2131 3.1 step 5 / 3.2 step 4: check the address is free before using it; DHCPDECLINE if not.</summary>
    private async Task<DhcpLease?> CheckAndAcceptAsync(DhcpReply ack, DateTimeOffset requestSent, CancellationToken cancellationToken)
    {
        var lease = LeaseFrom(ack, requestSent);
        _logger.LogInformation("DHCPACK of {Address} from {Server}, lease {Seconds}s", lease.Address, lease.ServerIdentifier,
            lease.IsInfinite ? "infinite" : lease.LeaseSeconds);
        if (_probe is null)
        {
            return lease;
        }
        State = DhcpClientState.Probing;
        var holder = await _probe.ProbeAsync(lease.Address, cancellationToken).ConfigureAwait(false);
        if (holder is not { } holderMac)
        {
            return lease;
        }
        _logger.LogWarning("{Address} is already in use by {Mac}: DHCPDECLINE to {Server}", lease.Address, holderMac, lease.ServerIdentifier);
        var decline = NewMessage(DhcpMessageType.Decline, ack.Message.TransactionId, seconds: 0, includeParameters: false);
        decline.RequestedIPAddress = lease.Address;
        decline.ServerIdentifier = lease.ServerIdentifier;
        decline.SetOption(DhcpOption.FromText(DhcpOptionCode.Message, $"address in use by {holderMac}"));
        _declined.Add(lease.Address);
        await _transport.SendAsync(decline, DhcpDestination.Broadcast(IPv4Address.Any), cancellationToken).ConfigureAwait(false);
        State = DhcpClientState.Init;
        return null;
    }

    /// <summary>RENEWING then REBINDING (RFC 2131 4.4.5). Returns the extended lease, or null when the server said
    /// NAK or the lease ran out.</summary>
    private async Task<DhcpLease?> ExtendAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        var unicast = new DhcpDestination(lease.Address, lease.ServerIdentifier, lease.ServerMac);
        var broadcast = DhcpDestination.Broadcast(lease.Address);
        foreach (var (state, destination, until) in new[]
        {
            (DhcpClientState.Renewing, unicast, lease.RebindAt),
            (DhcpClientState.Rebinding, broadcast, lease.Expires),
        })
        {
            State = state;
            uint xid = NewTransactionId();
            while (_time.GetUtcNow() < until)
            {
                var sent = _time.GetUtcNow();
                _logger.LogInformation("{State}: DHCPREQUEST for {Address} to {Destination}", state.ToString().ToUpperInvariant(),
                    lease.Address, destination.DestinationIp);
                var request = NewRequest(xid, seconds: 0, requestedAddress: null, serverIdentifier: null, clientAddress: lease.Address);
                await _transport.SendAsync(request, destination, cancellationToken).ConfigureAwait(false);
                var remaining = until - sent;
                var wait = remaining < MinimumRenewRetransmission ? remaining : Max(remaining / 2, MinimumRenewRetransmission);
                var reply = await ReceiveMatchingAsync(xid, AcceptAckOrNak(server: null), sent + wait, cancellationToken).ConfigureAwait(false);
                if (reply is null)
                {
                    continue;
                }
                if (reply.Message.MessageType == DhcpMessageType.Nak)
                {
                    await ReportNakAsync(reply, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                var renewed = LeaseFrom(reply, sent);
                _logger.LogInformation("DHCPACK of {Address} from {Server}, lease {Seconds}s", renewed.Address, renewed.ServerIdentifier,
                    renewed.IsInfinite ? "infinite" : renewed.LeaseSeconds);
                return renewed;
            }
        }
        _logger.LogWarning("lease of {Address} expired without an answer from any server", lease.Address);
        return null;
    }

    private async Task ReportNakAsync(DhcpReply nak, CancellationToken cancellationToken)
    {
        string? text = nak.Message.GetOption(DhcpOptionCode.Message)?.AsText();
        _logger.LogWarning("DHCPNAK from {Server}{Reason}; starting over", ServerOf(nak), text is null ? "" : ": " + text);
        State = DhcpClientState.Init;
        await _events.OnLeaseEventAsync(LeaseEvent.Nak, null, text, cancellationToken).ConfigureAwait(false);
    }

    private readonly record struct Exchange(DhcpReply Reply, DateTimeOffset SentAt);

    /// <summary>Sends a message and retransmits it with exponential back-off and jitter (RFC 2131 4.1) until an
    /// accepted reply arrives, the retries run out, or the deadline passes.</summary>
    private async Task<Exchange?> ExchangeAsync(Func<ushort, DhcpMessage> build, DhcpDestination destination, uint xid,
        Func<DhcpReply, bool> accept, DateTimeOffset started, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var interval = _options.RetryInterval;
        for (int transmission = 0; transmission <= _options.Retries && _time.GetUtcNow() < deadline; transmission++)
        {
            var sent = _time.GetUtcNow();
            // RFC 2131 4.1: secs is the time elapsed since the client began the exchange.
            ushort seconds = (ushort)Math.Min(ushort.MaxValue, (sent - started).TotalSeconds);
            var message = build(seconds);
            if (transmission > 0)
            {
                _logger.LogInformation("no answer; retransmitting {Type} (attempt {Attempt} of {Attempts}, xid 0x{Xid:x8})",
                    message.MessageType?.ToString().ToUpperInvariant(), transmission + 1, _options.Retries + 1, xid);
            }
            await _transport.SendAsync(message, destination, cancellationToken).ConfigureAwait(false);
            var until = Min(sent + Jitter(interval), deadline);
            var reply = await ReceiveMatchingAsync(xid, accept, until, cancellationToken).ConfigureAwait(false);
            if (reply is not null)
            {
                return new Exchange(reply, sent);
            }
            if (until == deadline)
            {
                // The wait ran to the deadline (timers may wake a hair early): no retransmission at the buzzer.
                break;
            }
            interval = Min(interval * 2, _options.MaxRetryInterval);
        }
        return null;
    }

    /// <summary>RFC 2131 4.1 randomises each delay by ±1 s around 4 s; shorter configured intervals get the
    /// same relative spread (±25%).</summary>
    private static TimeSpan Jitter(TimeSpan interval)
    {
        double spread = Math.Min(1.0, interval.TotalSeconds / 4);
        double offset = (RandomNumberGenerator.GetInt32(-1000, 1001) / 1000.0) * spread;
        return interval + TimeSpan.FromSeconds(offset);
    }

    /// <summary>Waits for a server message that answers this client: a BOOTREPLY with our xid and our MAC that
    /// <paramref name="accept"/> wants. Everything else is logged and dropped.</summary>
    private async Task<DhcpReply?> ReceiveMatchingAsync(uint xid, Func<DhcpReply, bool> accept, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = until - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }
            var reply = await _transport.ReceiveAsync(remaining, cancellationToken).ConfigureAwait(false);
            if (reply is null)
            {
                return null;
            }
            var message = reply.Message;
            if (message.Operation != DhcpOperation.BootReply || message.TransactionId != xid || message.HardwareAddressLength != MacAddress.Length
                || message.ClientMac != _options.Mac)
            {
                _logger.LogDebug("ignored {Type} from {Source}: not for xid 0x{Xid:x8} and {Mac}", message.MessageType, reply.SourceIp, xid, _options.Mac);
                continue;
            }
            if (!accept(reply))
            {
                _logger.LogDebug("ignored {Type} from {Source} in state {State}", message.MessageType, reply.SourceIp, State);
                continue;
            }
            AnyServerAnswered = true;
            return reply;
        }
    }

    private static bool AcceptOffer(DhcpReply reply) =>
        reply.Message.MessageType == DhcpMessageType.Offer && !reply.Message.YourAddress.IsAny && !reply.Message.YourAddress.IsBroadcast;

    /// <summary>In REQUESTING only the chosen server's answer counts (RFC 2131 4.4.1); elsewhere any server's.</summary>
    private static Func<DhcpReply, bool> AcceptAckOrNak(IPv4Address? server) => reply =>
        reply.Message.MessageType switch
        {
            DhcpMessageType.Ack => !reply.Message.YourAddress.IsAny && (server is null || ServerOf(reply) == server),
            DhcpMessageType.Nak => server is null || ServerOf(reply) == server,
            _ => false,
        };

    /// <summary>The server identifier option; servers must send it (RFC 2131 4.3.1), the IP source is the fallback.</summary>
    private static IPv4Address ServerOf(DhcpReply reply) => reply.Message.ServerIdentifier ?? reply.SourceIp;

    private DhcpLease LeaseFrom(DhcpReply ack, DateTimeOffset requestSent)
    {
        var message = ack.Message;
        var address = message.YourAddress;
        uint leaseSeconds = message.LeaseTime ?? DefaultLeaseSeconds;
        if (message.LeaseTime is null)
        {
            _logger.LogWarning("DHCPACK without a lease time; assuming {Seconds}s", DefaultLeaseSeconds);
        }
        var (renewal, rebinding) = DhcpLease.Timers(leaseSeconds, message.RenewalTime, message.RebindingTime);
        var mask = message.SubnetMask is { } given && given.PrefixLength >= 0 ? given : ClassfulMask(address);
        return new DhcpLease
        {
            Interface = _options.Interface,
            ClientMac = _options.Mac,
            Address = address,
            SubnetMask = mask,
            Routers = message.Routers ?? [],
            DnsServers = message.DnsServers ?? [],
            DomainName = message.DomainName,
            BroadcastAddress = message.BroadcastAddress,
            ServerIdentifier = ServerOf(ack),
            ServerMac = ack.SourceMac,
            LeaseSeconds = leaseSeconds,
            RenewalSeconds = renewal,
            RebindingSeconds = rebinding,
            Acquired = requestSent,
        };
    }

    /// <summary>Without option 1 the only guess is the address class (RFC 950's historical default).</summary>
    private static IPv4Address ClassfulMask(IPv4Address address) => (address.Value >> 24) switch
    {
        < 128 => IPv4Address.MaskFromPrefix(8),
        < 192 => IPv4Address.MaskFromPrefix(16),
        _ => IPv4Address.MaskFromPrefix(24),
    };

    private DhcpMessage NewDiscover(uint xid, ushort seconds)
    {
        var discover = NewMessage(DhcpMessageType.Discover, xid, seconds, includeParameters: true);
        if (_options.RequestedAddress is { } wanted && !_declined.Contains(wanted))
        {
            discover.RequestedIPAddress = wanted;
        }
        return discover;
    }

    /// <summary>DHCPREQUEST in its four forms (RFC 2131 4.3.2 table): SELECTING carries the server identifier
    /// and requested address; INIT-REBOOT the requested address only; RENEWING/REBINDING only ciaddr.</summary>
    private DhcpMessage NewRequest(uint xid, ushort seconds, IPv4Address? requestedAddress, IPv4Address? serverIdentifier, IPv4Address clientAddress)
    {
        var request = NewMessage(DhcpMessageType.Request, xid, seconds, includeParameters: true);
        request.ClientAddress = clientAddress;
        request.RequestedIPAddress = requestedAddress;
        request.ServerIdentifier = serverIdentifier;
        return request;
    }

    private DhcpMessage NewMessage(DhcpMessageType type, uint xid, ushort seconds, bool includeParameters)
    {
        var message = new DhcpMessage
        {
            Operation = DhcpOperation.BootRequest,
            TransactionId = xid,
            Seconds = seconds,
            ClientMac = _options.Mac,
            // RFC 2131 4.1: only set the flag when the client cannot receive unicast before it is configured.
            Broadcast = _options.RequestBroadcast && type is DhcpMessageType.Discover or DhcpMessageType.Request,
        };
        message.MessageType = type;
        if (_options.ClientIdentifier is { } clientId)
        {
            message.ClientIdentifier = clientId;
        }
        if (!includeParameters)
        {
            return message;
        }
        message.MaxMessageSize = 1500;
        if (_options.HostName is { } hostName)
        {
            message.HostName = hostName;
        }
        if (_options.VendorClass is { } vendorClass)
        {
            message.VendorClassIdentifier = vendorClass;
        }
        message.ParameterRequestList = ParameterRequestList;
        return message;
    }

    private static uint NewTransactionId() => (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);

    /// <summary>Task.Delay takes at most ~49 days; long leases are waited for in day-long steps.</summary>
    private async Task DelayUntilAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        for (var delay = when - _time.GetUtcNow(); delay > TimeSpan.Zero; delay = when - _time.GetUtcNow())
        {
            await Task.Delay(Min(delay, TimeSpan.FromDays(1)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>RFC 2131 4.4 client states (SELECTING also covers INIT's DISCOVER; PROBING is the RFC 5227 check
/// between DHCPACK and BOUND).</summary>
public enum DhcpClientState
{
    Init,
    Selecting,
    Requesting,
    Rebooting,
    Probing,
    Bound,
    Renewing,
    Rebinding,
}
