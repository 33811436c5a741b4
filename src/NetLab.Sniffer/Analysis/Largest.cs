namespace NetLab.Sniffer.Analysis;

/// <summary>Picks a report table's biggest rows without sorting every flow or talker of a large capture.</summary>
internal static class Largest
{
    /// <summary>The <paramref name="count"/> items with the largest keys, largest first; equal keys keep their
    /// order in <paramref name="items"/>, as a stable sort would.</summary>
    public static List<T> Of<T>(IReadOnlyList<T> items, int count, Func<T, long> key)
    {
        long[] keys = new long[items.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = key(items[i]);
        }
        // Item a ranks before item b: a larger key, or the same key and earlier.
        bool Before(int a, int b) => keys[a] > keys[b] || (keys[a] == keys[b] && a < b);

        // A heap of the best indices so far whose root is the one that ranks last (the first to be pushed out).
        int size = Math.Min(count, keys.Length);
        int[] heap = new int[size];
        for (int i = 0; i < keys.Length; i++)
        {
            if (i < size)
            {
                heap[i] = i;
                for (int child = i, parent = (i - 1) / 2; child > 0 && Before(heap[parent], heap[child]); child = parent, parent = (child - 1) / 2)
                {
                    (heap[parent], heap[child]) = (heap[child], heap[parent]);
                }
            }
            else if (size > 0 && Before(i, heap[0]))
            {
                heap[0] = i;
                for (int parent = 0; ;)
                {
                    int last = parent, left = (2 * parent) + 1, right = left + 1;
                    if (left < size && Before(heap[last], heap[left]))
                    {
                        last = left;
                    }
                    if (right < size && Before(heap[last], heap[right]))
                    {
                        last = right;
                    }
                    if (last == parent)
                    {
                        break;
                    }
                    (heap[parent], heap[last]) = (heap[last], heap[parent]);
                    parent = last;
                }
            }
        }
        Array.Sort(heap, (a, b) => a == b ? 0 : Before(a, b) ? -1 : 1);
        var result = new List<T>(size);
        foreach (int index in heap)
        {
            result.Add(items[index]);
        }
        return result;
    }
}
