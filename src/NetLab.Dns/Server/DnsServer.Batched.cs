using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>The Linux UDP loop: recvmmsg(2) takes up to <see cref="BatchSize"/> waiting datagrams in one call and
/// sendmmsg(2) sends their answers in one call, so under load a worker makes two system calls per batch instead of
/// two per query (Knot does the same). Every datagram is still handled and counted on its own.</summary>
public sealed partial class DnsServer
{
    private const int BatchSize = 32;
    private const int SocketAddressSize = 128; // sizeof(struct sockaddr_storage)
    private const int MsgTrunc = 0x20, MsgWaitForOne = 0x10000;
    private const int EIntr = 4, EAgain = 11, EConnRefused = 111;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static unsafe partial int ReceiveMessages(SafeSocketHandle socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static unsafe partial int SendMessages(SafeSocketHandle socket, MultiMessageHeader* messages, uint count, int flags);

    private unsafe void BatchedUdpLoop(Socket socket, IPEndPoint local)
    {
        // Pinned: the kernel writes into these between calls; one native block holds the headers and peer addresses.
        byte[] queries = GC.AllocateUninitializedArray<byte>(BatchSize * DnsMessage.MaxSize, pinned: true);
        var responses = new byte[BatchSize][];
        for (int i = 0; i < BatchSize; i++)
        {
            responses[i] = GC.AllocateUninitializedArray<byte>(DnsMessage.MaxSize, pinned: true);
        }
        nuint blockSize = (nuint)(BatchSize * (2 * sizeof(MultiMessageHeader) + 2 * sizeof(IoVector) + SocketAddressSize));
        byte* block = (byte*)NativeMemory.AllocZeroed(blockSize);
        try
        {
            var received = (MultiMessageHeader*)block;
            var outgoing = received + BatchSize;
            var receiveVectors = (IoVector*)(outgoing + BatchSize);
            var sendVectors = receiveVectors + BatchSize;
            byte* names = (byte*)(sendVectors + BatchSize);
            fixed (byte* queryBase = queries)
            {
                for (int i = 0; i < BatchSize; i++)
                {
                    receiveVectors[i] = new IoVector { Base = queryBase + (i * DnsMessage.MaxSize), Length = DnsMessage.MaxSize };
                    received[i].Header = new MessageHeader { Name = names + (i * SocketAddressSize), Vectors = &receiveVectors[i], VectorCount = 1 };
                }
                var address = new SocketAddress(local.AddressFamily);
                while (!_stopping.IsCancellationRequested)
                {
                    int count = ReceiveBatch(socket, received);
                    if (count < 0)
                    {
                        return;
                    }
                    int replies = 0;
                    for (int i = 0; i < count; i++)
                    {
                        if (HandleDatagram(received[i], queries.AsMemory(i * DnsMessage.MaxSize, (int)received[i].Length), responses, i, socket, local, address,
                            out int length))
                        {
                            sendVectors[replies] = new IoVector { Base = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(responses[i], 0), Length = (nuint)length };
                            outgoing[replies].Header = new MessageHeader
                            {
                                Name = received[i].Header.Name, NameLength = received[i].Header.NameLength, Vectors = &sendVectors[replies], VectorCount = 1,
                            };
                            replies++;
                        }
                    }
                    SendBatch(socket, outgoing, replies);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed: the server is stopping.
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    /// <summary>Blocks for the first datagram and takes whatever else is already queued; -1 when the server stops.</summary>
    private unsafe int ReceiveBatch(Socket socket, MultiMessageHeader* received)
    {
        while (!_stopping.IsCancellationRequested)
        {
            for (int i = 0; i < BatchSize; i++)
            {
                received[i].Header.NameLength = SocketAddressSize;
                received[i].Header.Flags = 0;
            }
            int count = ReceiveMessages(socket.SafeHandle, received, BatchSize, MsgWaitForOne, null);
            if (count > 0)
            {
                return count;
            }
            int error = Marshal.GetLastPInvokeError();
            if (_stopping.IsCancellationRequested)
            {
                break;
            }
            switch (error)
            {
                case EAgain:
                    // The forwarding path's async send made the socket non-blocking: wait for data here instead.
                    socket.Poll(-1, SelectMode.SelectRead);
                    break;
                case EIntr or EConnRefused:
                    // A signal, or an ICMP error for an earlier reply: nothing to answer.
                    break;
                default:
                    LogReceiveFailed(Marshal.GetPInvokeErrorMessage(error));
                    break;
            }
        }
        return -1;
    }

    /// <summary>Answers one received datagram; true when <paramref name="length"/> bytes in responses[slot] go back now.</summary>
    private bool HandleDatagram(in MultiMessageHeader message, ReadOnlyMemory<byte> query, byte[][] responses, int slot, Socket socket, IPEndPoint local,
        SocketAddress address, out int length)
    {
        length = 0;
        if ((message.Header.Flags & MsgTrunc) != 0 || message.Header.NameLength == 0)
        {
            // Larger than any DNS message (as ReceiveFrom's MessageSize error), or no sender at all: the empty
            // message a closing socket's shutdown wakes the worker with. Nothing to answer either way.
            return false;
        }
        unsafe
        {
            int nameLength = (int)Math.Min(message.Header.NameLength, (uint)address.Buffer.Length);
            new ReadOnlySpan<byte>(message.Header.Name, nameLength).CopyTo(address.Buffer.Span);
            address.Size = nameLength;
        }
        length = AnswerDatagram(socket, local, address, query, ref responses[slot]);
        return length > 0;
    }

    private unsafe void SendBatch(Socket socket, MultiMessageHeader* outgoing, int replies)
    {
        int sent = 0;
        while (sent < replies)
        {
            int count = SendMessages(socket.SafeHandle, outgoing + sent, (uint)(replies - sent), 0);
            if (count > 0)
            {
                sent += count;
                continue;
            }
            int error = Marshal.GetLastPInvokeError();
            switch (error)
            {
                case EIntr:
                    break;
                case EAgain:
                    socket.Poll(-1, SelectMode.SelectWrite);
                    break;
                default:
                    // This reply cannot go out (as a failed SendTo): count it and go on with the rest.
                    _processor.Counters.Drop();
                    LogSendFailed(Marshal.GetPInvokeErrorMessage(error));
                    sent++;
                    break;
            }
        }
    }
}
