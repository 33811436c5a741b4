using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetLab.Protocols.IP;

/// <summary>A 128-bit IPv6 address held in a value type so that decoding a header allocates nothing. It is
/// stored as two 64-bit halves, not as a UInt128: ReadyToRun cannot precompile a method whose signature holds
/// a type laid out around UInt128 (its ABI may change between runtime versions), so every decoder taking
/// one would be compiled at start-up instead.</summary>
public readonly record struct IPv6Address
{
    public const int Length = 16;

    private readonly ulong _high, _low;

    public IPv6Address(UInt128 value)
    {
        _high = (ulong)(value >> 64);
        _low = (ulong)value;
    }

    private IPv6Address(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    public UInt128 Value => new(_high, _low);

    public static IPv6Address Any { get; } = default;
    public static IPv6Address Loopback { get; } = new(0, 1);

    public static IPv6Address Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..Length]));

    public static bool TryRead(ReadOnlySpan<byte> source, out IPv6Address address)
    {
        address = default;
        if (source.Length < Length)
        {
            return false;
        }
        address = Read(source);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination[..8], _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..Length], _low);
    }

    public static IPv6Address FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("Not an IPv6 address.", nameof(address));
        }
        Span<byte> bytes = stackalloc byte[Length];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    public static IPv6Address Parse(string text) => FromIPAddress(IPAddress.Parse(text));

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public override string ToString() => ToIPAddress().ToString();
}
