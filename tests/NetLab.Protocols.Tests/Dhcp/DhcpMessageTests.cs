using System.Buffers.Binary;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Protocols.Tests.Dhcp;

public class DhcpMessageTests
{
    [Theory]
    [MemberData(nameof(DhcpTestMessages.Names), MemberType = typeof(DhcpTestMessages))]
    public void WriteThenRead_RoundTripsEveryField(string name)
    {
        var original = DhcpTestMessages.ByName(name);
        byte[] wire = original.ToArray();

        Assert.True(DhcpMessage.TryRead(wire, out var read, out string? error), error);
        AssertSameMessage(original, read!);
        Assert.Equal(wire, read!.ToArray());
    }

    [Fact]
    public void TypedAccessors_ReturnWhatWasSet()
    {
        Assert.True(DhcpMessage.TryRead(DhcpTestMessages.Offer().ToArray(), out var offer, out _));
        Assert.Equal(DhcpMessageType.Offer, offer!.MessageType);
        Assert.Equal(IPv4Address.Parse("255.255.255.0"), offer.SubnetMask);
        Assert.Equal([IPv4Address.Parse("192.168.10.1")], offer.Routers);
        Assert.Equal([IPv4Address.Parse("192.168.10.1"), IPv4Address.Parse("9.9.9.9")], offer.DnsServers);
        Assert.Equal("lab.test", offer.DomainName);
        Assert.Equal(3600u, offer.LeaseTime);
        Assert.Equal(1800u, offer.RenewalTime);
        Assert.Equal(3150u, offer.RebindingTime);
        Assert.Equal(IPv4Address.Parse("192.168.10.1"), offer.ServerIdentifier);
        Assert.Equal(IPv4Address.Parse("192.168.10.255"), offer.BroadcastAddress);
        Assert.Equal("netlab", offer.ServerName);
        Assert.Equal("pxelinux.0", offer.BootFileName);

        Assert.True(DhcpMessage.TryRead(DhcpTestMessages.Discover().ToArray(), out var discover, out _));
        Assert.True(discover!.Broadcast);
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:01"), discover.ClientMac);
        Assert.Equal(IPv4Address.Parse("192.168.10.150"), discover.RequestedIPAddress);
        Assert.Equal(new byte[] { 1, 2, 0, 0, 0, 0, 1 }, discover.ClientIdentifier);
        Assert.Equal((ushort)1500, discover.MaxMessageSize);
        Assert.Equal("udhcp 1.36.1", discover.VendorClassIdentifier);
        Assert.Equal("client1", discover.HostName);
        Assert.Equal([DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer, DhcpOptionCode.DomainName],
            discover.ParameterRequestList);
    }

    [Fact]
    public void Write_PadsToTheBootpMinimumAndEndsOptionsWithEnd()
    {
        byte[] wire = DhcpTestMessages.Discover().ToArray();
        Assert.Equal(DhcpMessage.MinimumLength, wire.Length);
        Assert.Equal(DhcpMessageView.MagicCookie, BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(236)));
        Assert.Equal((byte)DhcpOptionCode.MessageType, wire[240]);
        Assert.Contains((byte)DhcpOptionCode.End, wire.AsSpan(241).ToArray());
    }

    [Fact]
    public void Write_LongOption_SplitsInto255OctetInstances()
    {
        byte[] wire = DhcpTestMessages.LongOption().ToArray();
        var lengths = new List<int>();
        var reader = new DhcpOptionReader(wire.AsSpan(DhcpMessageView.OptionsOffset));
        while (reader.TryReadNext(out var code, out var data))
        {
            if (code == DhcpOptionCode.ClasslessStaticRoute)
            {
                lengths.Add(data.Length);
            }
        }
        Assert.Equal([255, 255, 90], lengths);
    }

    [Fact]
    public void TryRead_SplitInstancesApart_JoinsThemInOrder()
    {
        // RFC 3396 6: instances of one option need not be adjacent; their data is concatenated in order.
        byte[] wire = BuildRaw(options: [53, 1, 5, 15, 3, (byte)'l', (byte)'a', (byte)'b', 51, 4, 0, 0, 14, 16, 15, 5, (byte)'.', (byte)'t', (byte)'e', (byte)'s', (byte)'t', 255]);

        Assert.True(DhcpMessage.TryRead(wire, out var message, out string? error), error);
        Assert.Equal("lab.test", message!.DomainName);
        Assert.Equal(3600u, message.LeaseTime);
        Assert.Equal([DhcpOptionCode.MessageType, DhcpOptionCode.DomainName, DhcpOptionCode.LeaseTime], message.Options.Select(o => o.Code));
    }

    [Fact]
    public void TryRead_OverloadedFileAndSname_ReadsOptionsFieldThenFileThenSname()
    {
        byte[] wire = OverloadedWire();

        Assert.True(DhcpMessage.TryRead(wire, out var message, out string? error), error);
        Assert.Equal(DhcpOverloadedFields.File | DhcpOverloadedFields.ServerName, message!.OverloadedFields);
        Assert.Equal("lab", message.DomainName);
        // Host name instances: options field "my--", file "-1", sname "box" (RFC 3396 6 order).
        Assert.Equal("my---1box", message.HostName);
        Assert.Null(message.GetOption(DhcpOptionCode.OptionOverload));
        Assert.Equal("", message.ServerName);
        Assert.Equal("", message.BootFileName);

        // Written back without overload: every option now sits in the options field.
        Assert.True(DhcpMessage.TryRead(message.ToArray(), out var again, out error), error);
        Assert.Equal(DhcpOverloadedFields.None, again!.OverloadedFields);
        Assert.Equal("my---1box", again.HostName);
    }

    [Fact]
    public void TryToArray_OptionsTooLong_OverloadFileThenSname_AndReadsBackTheSame()
    {
        // 400 octets of routes fit a 548-octet message only with both file and sname borrowed.
        var message = DhcpTestMessages.Offer();
        var routes = new byte[400];
        new Random(2).NextBytes(routes);
        message.ServerName = "";
        message.BootFileName = "";
        message.SetOption(new DhcpOption(DhcpOptionCode.ClasslessStaticRoute, routes));
        Assert.True(message.GetWrittenLength() > DhcpMessage.DefaultMaxMessageLength);

        Assert.True(message.TryToArray(DhcpMessage.DefaultMaxMessageLength, out byte[]? wire));
        Assert.InRange(wire!.Length, DhcpMessage.MinimumLength, DhcpMessage.DefaultMaxMessageLength);
        Assert.True(DhcpMessage.TryRead(wire, out var read, out string? error), error);
        Assert.Equal(DhcpOverloadedFields.File | DhcpOverloadedFields.ServerName, read!.OverloadedFields);
        Assert.Equal(message.Options.Select(o => o.Code), read.Options.Select(o => o.Code));
        for (int i = 0; i < message.Options.Count; i++)
        {
            Assert.Equal(message.Options[i].Data.ToArray(), read.Options[i].Data.ToArray());
        }
    }

    [Fact]
    public void TryToArray_FitsOrFieldsInUse_NoOverload()
    {
        var offer = DhcpTestMessages.Offer();
        Assert.True(offer.TryToArray(DhcpMessage.DefaultMaxMessageLength, out byte[]? wire));
        Assert.Equal(offer.ToArray(), wire);

        // sname and file carry names: they are not borrowed, so a message too long fails instead.
        var named = DhcpTestMessages.LongOption();
        named.ServerName = "netlab";
        named.BootFileName = "pxelinux.0";
        Assert.False(named.TryToArray(DhcpMessage.DefaultMaxMessageLength, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(2)]
    public void TryRead_OverloadValueInvalid_Fails(byte value)
    {
        byte[] wire = BuildRaw(options: value == 2 ? [52, 2, 1, 1, 255] : [52, 1, value, 255]);
        Assert.False(DhcpMessage.TryRead(wire, out var message, out string? error));
        Assert.Null(message);
        Assert.Contains("overload", error);
    }

    [Fact]
    public void TryRead_OverloadedAreaRunsPastItsEnd_Fails()
    {
        var sname = new byte[64];
        sname[62] = 12;
        sname[63] = 9;
        byte[] wire = BuildRaw(options: [52, 1, 2, 255], sname: sname);
        Assert.False(DhcpMessage.TryRead(wire, out _, out string? error));
        Assert.Contains("sname", error);
    }

    [Fact]
    public void TryRead_UnknownOptions_WrittenBackByteForByte()
    {
        byte[] options = [53, 1, 1, 200, 5, 1, 2, 3, 4, 5, 254, 0, 43, 3, 9, 8, 7, 255];
        byte[] wire = BuildRaw(options);
        Assert.True(DhcpMessage.TryRead(wire, out var message, out _));
        byte[] written = message!.ToArray();
        Assert.Equal(options, written.AsSpan(DhcpMessageView.OptionsOffset, options.Length).ToArray());
    }

    [Fact]
    public void TryRead_PlainBootp_KeepsVendorAreaRaw()
    {
        byte[] wire = BuildRaw([]);
        wire.AsSpan(236, 4).Clear();
        wire[240] = 0x42;
        Assert.True(DhcpMessage.TryRead(wire, out var message, out string? error), error);
        Assert.False(message!.HasMagicCookie);
        Assert.Empty(message.Options);
        Assert.Equal(wire, message.ToArray());
    }

    [Fact]
    public void TryRead_HardwareLengthOver16_Fails()
    {
        byte[] wire = BuildRaw([255]);
        wire[2] = 17;
        Assert.False(DhcpMessage.TryRead(wire, out _, out string? error));
        Assert.Contains("hardware address length", error);
    }

    [Theory]
    [MemberData(nameof(DhcpTestMessages.Names), MemberType = typeof(DhcpTestMessages))]
    public void TryRead_EveryTruncationBeforeEnd_FailsCleanly(string name)
    {
        byte[] wire = DhcpTestMessages.ByName(name).ToArray();
        int end = IndexOfEnd(wire);
        for (int length = 0; length <= end; length++)
        {
            Assert.False(DhcpMessage.TryRead(wire.AsSpan(0, length), out var message, out string? error), $"length {length}");
            Assert.Null(message);
            Assert.False(string.IsNullOrEmpty(error));
        }
        // Only trailing padding after End may be cut: what remains is still the whole message.
        for (int length = end + 1; length < wire.Length; length++)
        {
            Assert.True(DhcpMessage.TryRead(wire.AsSpan(0, length), out var message, out _));
            Assert.Equal(DhcpTestMessages.ByName(name).Options.Count, message!.Options.Count);
        }
    }

    [Fact]
    public void View_ReadsFixedFieldsAndMessageType()
    {
        var offer = DhcpTestMessages.Offer();
        byte[] wire = offer.ToArray();
        Assert.True(DhcpMessageView.TryCreate(wire, out var view));
        Assert.Equal(DhcpOperation.BootReply, view.Operation);
        Assert.Equal(offer.TransactionId, view.TransactionId);
        Assert.Equal(offer.ClientMac, view.ClientMac);
        Assert.Equal(offer.YourAddress, view.YourAddress);
        Assert.Equal(offer.ServerAddress, view.ServerAddress);
        Assert.Equal(offer.GatewayAddress, view.GatewayAddress);
        Assert.Equal((byte)1, view.Hops);
        Assert.Equal((ushort)3, view.Seconds);
        Assert.True(view.HasMagicCookie);
        Assert.Equal(DhcpMessageType.Offer, view.MessageType);
        Assert.True(view.TryGetOption(DhcpOptionCode.ServerIdentifier, out var serverId));
        Assert.Equal(IPv4Address.Parse("192.168.10.1"), IPv4Address.Read(serverId));
        Assert.False(view.TryGetOption(DhcpOptionCode.ClientIdentifier, out _));
        Assert.False(DhcpMessageView.TryCreate(wire.AsSpan(0, 235), out _));
    }

    [Fact]
    public void Option_TypedGetters_RejectWrongLengths()
    {
        var threeOctets = new DhcpOption(DhcpOptionCode.Router, new byte[] { 1, 2, 3 });
        Assert.Null(threeOctets.AsAddresses());
        Assert.Null(threeOctets.AsAddress());
        Assert.Null(threeOctets.AsUInt32());
        Assert.False(threeOctets.HasValidLength);
        Assert.Equal("010203", threeOctets.FormatValue());
        var lease = DhcpOption.FromUInt32(DhcpOptionCode.LeaseTime, 86400);
        Assert.Equal(86400u, lease.AsUInt32());
        Assert.Equal("86400", lease.FormatValue());
        Assert.Equal(DhcpOptionFormat.AddressPairs, DhcpOptionFormats.Of(DhcpOptionCode.StaticRoute));
        Assert.Throws<ArgumentException>(() => new DhcpOption(DhcpOptionCode.End, ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Mutations_NeverThrow_AndWhatParsesRoundTrips()
    {
        var random = new Random(20261121);
        byte[][] seeds = [DhcpTestMessages.Discover().ToArray(), DhcpTestMessages.Offer().ToArray(), DhcpTestMessages.LongOption().ToArray()];
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] frame = Mutate(seeds[i % seeds.Length], random);
            if (DhcpMessageView.TryCreate(frame, out var view))
            {
                _ = view.MessageType;
                _ = view.TryGetOption(DhcpOptionCode.ServerIdentifier, out _);
            }
            if (DhcpMessage.TryRead(frame, out var message, out _))
            {
                parsed++;
                _ = message!.ToString();
                Assert.True(DhcpMessage.TryRead(message.ToArray(), out var again, out string? error), error);
                Assert.Equal(message.Options.Count, again!.Options.Count);
            }
        }
        // The mutations must leave many messages valid, or the round-trip check above tests nothing.
        Assert.InRange(parsed, 1_000, 100_000);
    }

    [Fact]
    public void View_ValidatesAndJoinsOptionsAsTryReadDoes()
    {
        // The sniffer's quiet path reads facts through the view: it must accept, reject and join exactly as TryRead.
        var random = new Random(20261122);
        byte[][] seeds = [DhcpTestMessages.Discover().ToArray(), DhcpTestMessages.Offer().ToArray(), DhcpTestMessages.LongOption().ToArray(), OverloadedWire()];
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 50_000; i++)
        {
            byte[] frame = i < seeds.Length ? seeds[i] : Mutate(seeds[i % seeds.Length], random);
            bool read = DhcpMessage.TryRead(frame, out var message, out string? error);
            if (!DhcpMessageView.TryCreate(frame, out var view))
            {
                Assert.False(read);
                continue;
            }
            Assert.Equal(read, view.TryValidate(out string? viewError));
            if (!read)
            {
                Assert.Equal(error, viewError);
                rejected++;
                continue;
            }
            parsed++;
            var joined = new byte[1024];
            foreach (var option in message!.Options)
            {
                int length = view.CopyJoinedOption(option.Code, joined);
                Assert.Equal(option.Data.ToArray(), joined.AsSpan(0, Math.Min(length, joined.Length)).ToArray());
            }
            Assert.Equal(-1, view.CopyJoinedOption(DhcpOptionCode.OptionOverload, joined));
        }
        Assert.InRange(parsed, 1_000, 50_000);
        Assert.InRange(rejected, 1_000, 50_000);

        Assert.True(DhcpMessageView.TryCreate(OverloadedWire(), out var overloaded));
        var name = new byte[4];
        Assert.Equal(9, overloaded.CopyJoinedOption(DhcpOptionCode.HostName, name)); // "my---1box" does not fit: the length says so
        Assert.Equal("my--"u8.ToArray(), name);
    }

    private static byte[] OverloadedWire()
    {
        var sname = new byte[64];
        byte[] snameOptions = [12, 3, (byte)'b', (byte)'o', (byte)'x', 255];
        snameOptions.CopyTo(sname, 0);
        var file = new byte[128];
        byte[] fileOptions = [15, 3, (byte)'l', (byte)'a', (byte)'b', 12, 2, (byte)'-', (byte)'1', 255];
        fileOptions.CopyTo(file, 0);
        return BuildRaw(options: [53, 1, 2, 52, 1, 3, 12, 4, (byte)'m', (byte)'y', (byte)'-', (byte)'-', 255], sname: sname, file: file);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] frame = seed.AsSpan(0, random.Next(seed.Length + 1) is int cut && random.Next(4) == 0 ? cut : seed.Length).ToArray();
        int flips = random.Next(1, 6);
        for (int f = 0; f < flips && frame.Length > 0; f++)
        {
            // Bias towards the options, where the structure is.
            int position = frame.Length > 241 && random.Next(2) == 0 ? random.Next(236, frame.Length) : random.Next(frame.Length);
            frame[position] = (byte)random.Next(256);
        }
        return frame;
    }

    private static int IndexOfEnd(byte[] wire)
    {
        var reader = new DhcpOptionReader(wire.AsSpan(DhcpMessageView.OptionsOffset));
        while (reader.TryReadNext(out _, out _))
        {
        }
        Assert.True(reader.SawEnd);
        // The End octet follows the last option: find it after the last data read.
        int position = DhcpMessageView.OptionsOffset;
        while (wire[position] != (byte)DhcpOptionCode.End)
        {
            position += wire[position] == 0 ? 1 : 2 + wire[position + 1];
        }
        return position;
    }

    internal static byte[] BuildRaw(byte[] options, byte[]? sname = null, byte[]? file = null)
    {
        var wire = new byte[Math.Max(300, 240 + options.Length)];
        wire[0] = 2;
        wire[1] = 1;
        wire[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(4), 0x11223344);
        new byte[] { 2, 0, 0, 0, 0, 9 }.CopyTo(wire, 28);
        sname?.CopyTo(wire, 44);
        file?.CopyTo(wire, 108);
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(236), DhcpMessageView.MagicCookie);
        options.CopyTo(wire, 240);
        return wire;
    }

    private static void AssertSameMessage(DhcpMessage expected, DhcpMessage actual)
    {
        Assert.Equal(expected.Operation, actual.Operation);
        Assert.Equal(expected.HardwareType, actual.HardwareType);
        Assert.Equal(expected.HardwareAddressLength, actual.HardwareAddressLength);
        Assert.Equal(expected.Hops, actual.Hops);
        Assert.Equal(expected.TransactionId, actual.TransactionId);
        Assert.Equal(expected.Seconds, actual.Seconds);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.ClientAddress, actual.ClientAddress);
        Assert.Equal(expected.YourAddress, actual.YourAddress);
        Assert.Equal(expected.ServerAddress, actual.ServerAddress);
        Assert.Equal(expected.GatewayAddress, actual.GatewayAddress);
        Assert.Equal(expected.ClientHardwareAddress, actual.ClientHardwareAddress);
        Assert.Equal(expected.ServerNameField, actual.ServerNameField);
        Assert.Equal(expected.FileField, actual.FileField);
        Assert.Equal(expected.Options.Select(o => o.Code), actual.Options.Select(o => o.Code));
        for (int i = 0; i < expected.Options.Count; i++)
        {
            Assert.Equal(expected.Options[i].Data.ToArray(), actual.Options[i].Data.ToArray());
        }
    }
}
