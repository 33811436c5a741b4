using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>TCP and UDP flows keyed by both endpoints (either direction): bytes each way, duration, the
/// TCP handshake round trip (SYN to the ACK that completes it, as Wireshark's initial RTT) and
/// retransmissions (a segment that carries no sequence space beyond what that side already sent).</summary>
public sealed class ConversationTracker
{
    private readonly Dictionary<Key, Flow> _flows = [];
    /// <summary>The flows in the order they started, the tie-break of the report's order.</summary>
    private readonly List<Flow> _ordered = [];
    private readonly Func<NetAddress, Talker> _talkerOf;

    /// <param name="talkerOf">The talker row of an address: each flow keeps its two and counts every frame on them.</param>
    internal ConversationTracker(Func<NetAddress, Talker> talkerOf) => _talkerOf = talkerOf;

    /// <summary>Counts a TCP or UDP frame on its flow and on both addresses' talkers; false for any other frame.</summary>
    public bool Observe(DecodedFrame frame)
    {
        if (frame.SourceIp is not { } src || frame.DestinationIp is not { } dst || frame.IpProtocol is not (6 or 17))
        {
            return false;
        }
        var a = new Endpoint(src, frame.SourcePort);
        var b = new Endpoint(dst, frame.DestinationPort);
        bool forward = a.CompareTo(b) <= 0;
        var key = forward ? new Key(frame.IpProtocol, a, b) : new Key(frame.IpProtocol, b, a);
        if (!_flows.TryGetValue(key, out var flow))
        {
            _flows[key] = flow = new Flow(frame.IpProtocol, frame.Timestamp, a, b, _talkerOf(src), _talkerOf(dst));
            _ordered.Add(flow);
        }
        flow.Frames++;
        flow.Bytes += frame.OriginalLength;
        flow.Last = frame.Timestamp;
        bool fromInitiator = a == flow.Initiator;
        if (fromInitiator)
        {
            flow.BytesFromInitiator += frame.OriginalLength;
        }
        (fromInitiator ? flow.InitiatorTalker : flow.ResponderTalker).Sent(frame.OriginalLength);
        (fromInitiator ? flow.ResponderTalker : flow.InitiatorTalker).Received(frame.OriginalLength);
        if (frame.Tcp is { } tcp)
        {
            flow.Observe(tcp, fromInitiator, frame.Timestamp);
        }
        return true;
    }

    public int Count => _flows.Count;

    /// <summary>The flows with the most bytes first, at most <paramref name="max"/> of them.</summary>
    public IReadOnlyList<ConversationRow> Rows(int max = int.MaxValue)
    {
        var rows = new List<ConversationRow>();
        foreach (var flow in Largest.Of(_ordered, max, f => f.Bytes))
        {
            bool tcp = flow.Protocol == 6;
            rows.Add(new ConversationRow(tcp ? "TCP" : "UDP", flow.Initiator.ToString(), flow.Responder.ToString(),
                flow.Frames, flow.Bytes, flow.BytesFromInitiator, flow.Bytes - flow.BytesFromInitiator, flow.First,
                (flow.Last - flow.First).TotalSeconds, flow.HandshakeRttMs, flow.Retransmissions, tcp ? flow.State : null));
        }
        return rows;
    }

    private readonly record struct Endpoint(NetAddress Address, ushort Port) : IComparable<Endpoint>
    {
        public int CompareTo(Endpoint other)
        {
            int c = Address.CompareTo(other.Address);
            return c != 0 ? c : Port.CompareTo(other.Port);
        }

        public override string ToString() => Address.WithPort(Port);
    }

    /// <summary>A flow's identity: both endpoints, the lower first, and the protocol, packed into five words. It is
    /// looked up for every TCP and UDP frame, and comparing and hashing 40 bytes beats two nested records of 72.</summary>
    private readonly struct Key : IEquatable<Key>
    {
        private readonly ulong _lowHigh, _lowLow, _highHigh, _highLow;
        /// <summary>Protocol, then a bit per endpoint for IPv6 (an IPv4 address and ::a.b.c.d differ), then both ports.</summary>
        private readonly ulong _rest;

        public Key(int protocol, Endpoint low, Endpoint high)
        {
            (_lowHigh, _lowLow, _highHigh, _highLow) = (low.Address.High, low.Address.Low, high.Address.High, high.Address.Low);
            _rest = (uint)protocol | (low.Address.IsV6 ? 1ul << 8 : 0) | (high.Address.IsV6 ? 1ul << 9 : 0) | ((ulong)low.Port << 16) | ((ulong)high.Port << 32);
        }

        public bool Equals(Key other) =>
            _lowLow == other._lowLow && _highLow == other._highLow && _rest == other._rest && _lowHigh == other._lowHigh && _highHigh == other._highHigh;

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_lowLow ^ _lowHigh, _highLow ^ _highHigh, _rest);
    }

    private sealed class Flow(int protocol, DateTimeOffset first, Endpoint initiator, Endpoint responder, Talker initiatorTalker, Talker responderTalker)
    {
        private DateTimeOffset? _synTime;
        private bool _synAckSeen;
        // Highest sequence number end seen per direction; null until that side sent a segment.
        private uint? _nextSeqFromInitiator;
        private uint? _nextSeqFromResponder;

        public int Protocol { get; } = protocol;
        public DateTimeOffset First { get; } = first;
        public DateTimeOffset Last { get; set; } = first;
        public Endpoint Initiator { get; } = initiator;
        public Endpoint Responder { get; } = responder;
        public Talker InitiatorTalker { get; } = initiatorTalker;
        public Talker ResponderTalker { get; } = responderTalker;
        public long Frames { get; set; }
        public long Bytes { get; set; }
        public long BytesFromInitiator { get; set; }
        public double? HandshakeRttMs { get; private set; }
        public long Retransmissions { get; private set; }
        public string State { get; private set; } = "open";

        public void Observe(TcpFacts tcp, bool fromInitiator, DateTimeOffset time)
        {
            if (tcp.Has(TcpFacts.Syn) && !tcp.Has(TcpFacts.AckFlag))
            {
                _synTime ??= time;
                State = "handshake";
            }
            else if (tcp.Has(TcpFacts.Syn) && tcp.Has(TcpFacts.AckFlag))
            {
                _synAckSeen = true;
            }
            else if (_synAckSeen && HandshakeRttMs is null && _synTime is { } syn && fromInitiator && tcp.Has(TcpFacts.AckFlag))
            {
                HandshakeRttMs = (time - syn).TotalMilliseconds;
                State = "established";
            }
            if (tcp.Has(TcpFacts.Rst))
            {
                State = "reset";
            }
            else if (tcp.Has(TcpFacts.Fin))
            {
                State = "closed";
            }

            // SYN and FIN each take one sequence number (RFC 9293 3.4).
            uint length = (uint)tcp.PayloadLength + (tcp.Has(TcpFacts.Syn) ? 1u : 0u) + (tcp.Has(TcpFacts.Fin) ? 1u : 0u);
            if (length == 0)
            {
                return;
            }
            uint end = tcp.Sequence + length;
            ref uint? next = ref fromInitiator ? ref _nextSeqFromInitiator : ref _nextSeqFromResponder;
            if (next is { } seen && (int)(end - seen) <= 0)
            {
                Retransmissions++;
            }
            else
            {
                next = end;
            }
        }
    }
}
