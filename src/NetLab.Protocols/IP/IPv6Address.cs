using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetLab.Protocols.IP;

/// <summary>A 128-bit IPv6 address held in a value type so that decoding a header allocates nothing.</summary>
public readonly record struct IPv6Address
{
    public const int Length = 16;

    public IPv6Address(UInt128 value) => Value = value;

    public UInt128 Value { get; }

    public static IPv6Address Any { get; } = default;
    public static IPv6Address Loopback { get; } = new(UInt128.One);

    public static IPv6Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt128BigEndian(source));

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

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt128BigEndian(destination, Value);

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
