using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace NetLab.Protocols.Addressing;

/// <summary>An IPv4 address as a host-order 32-bit value: comparable, orderable and free to copy,
/// unlike <see cref="IPAddress"/>, which allocates.</summary>
public readonly record struct IPv4Address : IComparable<IPv4Address>
{
    public const int Length = 4;

    public IPv4Address(uint value) => Value = value;

    public IPv4Address(byte a, byte b, byte c, byte d) => Value = ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;

    public uint Value { get; }

    public static IPv4Address Any { get; } = default;
    public static IPv4Address Broadcast { get; } = new(0xFFFF_FFFFU);
    public static IPv4Address Loopback { get; } = new(127, 0, 0, 1);

    public bool IsAny => Value == 0;
    public bool IsBroadcast => Value == 0xFFFF_FFFFU;

    public static IPv4Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public static bool TryRead(ReadOnlySpan<byte> source, out IPv4Address address)
    {
        if (source.Length < Length)
        {
            address = default;
            return false;
        }
        address = Read(source);
        return true;
    }

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    public static bool TryParse([NotNullWhen(true)] string? text, out IPv4Address address)
    {
        address = default;
        if (text is null || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        // IPAddress.TryParse accepts "1" or "1.2" as shorthand; a lab tool should insist on dotted quads.
        if (text.Count(c => c == '.') != 3)
        {
            return false;
        }
        address = FromIPAddress(ip);
        return true;
    }

    public static IPv4Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address (expected a dotted quad like 192.168.10.1).");

    public static IPv4Address FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("Not an IPv4 address.", nameof(address));
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[4];
        Write(bytes);
        return new IPAddress(bytes);
    }

    /// <summary>Address AND mask: the network this address belongs to.</summary>
    public IPv4Address Mask(IPv4Address mask) => new(Value & mask.Value);

    /// <summary>Number of leading one bits of a contiguous mask, or -1 when the mask has a hole.</summary>
    public int PrefixLength
    {
        get
        {
            int ones = System.Numerics.BitOperations.LeadingZeroCount(~Value);
            uint contiguous = ones == 0 ? 0 : uint.MaxValue << (32 - ones);
            return contiguous == Value ? ones : -1;
        }
    }

    public static IPv4Address MaskFromPrefix(int prefixLength) =>
        prefixLength is < 0 or > 32 ? throw new ArgumentOutOfRangeException(nameof(prefixLength))
        : new(prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength));

    public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

    public static bool operator <(IPv4Address left, IPv4Address right) => left.Value < right.Value;
    public static bool operator >(IPv4Address left, IPv4Address right) => left.Value > right.Value;
    public static bool operator <=(IPv4Address left, IPv4Address right) => left.Value <= right.Value;
    public static bool operator >=(IPv4Address left, IPv4Address right) => left.Value >= right.Value;

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}";
}
