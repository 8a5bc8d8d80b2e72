namespace CoDesign.KernelSubset;

/// <summary>The reasons the rules give, worded to follow the construct they explain.</summary>
internal static class Why
{
    public const string ContractForm = "must be a statement of its own in a method's block body";
    public const string ContractParameter = "must name an integer parameter passed by value; contracts state the range of a kernel's inputs";
    public const string Heap = "allocates on the heap; hardware has no heap (use stackalloc with a constant size)";
    public const string Delegate = "creates a delegate on the heap; hardware has no heap and no indirect calls (write a static method)";
    public const string Boxing = "allocates on the heap; hardware has no heap";
    public const string StringBuilding = "builds a string on the heap; hardware has no heap and no strings";
    public const string Collection = "allocates storage; only the empty '[]' (an empty span) is hardware (use stackalloc with a constant size)";
    public const string Throw = "throws an exception; hardware cannot unwind (return a status instead)";
    public const string Try = "handles exceptions; hardware has none (return a status instead)";
    public const string FloatingPoint = "is not hardware; kernels compute in integers (use fixed point)";
    public const string FloatingCall = "computes in floating point; kernels compute in integers (use fixed point)";
    public const string FloatingConversion = "converts to floating point; kernels compute in integers (use fixed point)";
    public const string InstanceCall = "calls an instance method; hardware inlines static methods only";
    public const string VirtualCall = "is a virtual or interface call; hardware inlines static methods only";
    public const string UnsupportedType = "has no hardware form; kernels use bool, char, 8- to 64-bit integers and spans of them";
    public const string RefLocal = "aliases another variable; hardware variables are registers, bound by value";
    public const string RefParameter = "passes a reference; kernel parameters are values, out integers, or spans by value";
    public const string ParamsParameter = "takes a variable argument list, an array on the heap; list the parameters";
    public const string OptionalParameter = "has a default value; every input of a kernel is connected (drop the default)";
    public const string OutSpan = "returns a span by reference; spans are passed by value";
    public const string RefReturn = "returns a reference; kernels return values";
    public const string SpanReturn = "returns a span; kernels return scalars and write memories through span parameters";
    public const string Checked = "throws on overflow; hardware arithmetic wraps (drop 'checked')";
    public const string CheckedProject = "throws on overflow, as the project checks arithmetic (CheckForOverflowUnderflow); hardware arithmetic wraps (use unchecked)";
    public const string ForEach = "iterates through an enumerator; hardware loops are 'for' and 'while' over indices";
    public const string Switch = "is not supported yet (use if/else)";
    public const string GoTo = "jumps to a label; hardware control flow is structured (use loops, break and continue)";
    public const string Lock = "synchronizes threads; a kernel is one piece of hardware with no threads";
    public const string Using = "disposes an object; hardware has no objects";
    public const string Yield = "makes an iterator, an object on the heap; write into a span parameter instead";
    public const string Await = "suspends asynchronously; hardware kernels run to completion";
    public const string Pointers = "uses pointers; hardware memories are spans";
    public const string LocalFunction = "is not supported (make it a static method of the class)";
    public const string TypeTest = "tests a run-time type; hardware values have fixed types";
    public const string Pattern = "matches a type or a structure; kernels match integers against constants only";
    public const string Tuple = "builds a tuple; kernels use separate integer variables";
    public const string Outside = "is outside the hardware subset (RULES.md lists what is in it)";
    public const string LibraryCall = "is a library method with no source to compile; hardware inlines source methods and the intrinsics Math.Min/Max and BitOperations.PopCount only";
    public const string NoBody = "has no body to compile (extern, or partial without an implementation)";
    public const string StaticField = "is state kept between calls; a kernel keeps its state in parameters (make it const)";
    public const string InstanceField = "belongs to an object; hardware has no objects (pass it as a parameter)";
    public const string Property = "is not an intrinsic (a span's Length and indexer are); use a static method or a const";
    public const string InstanceMethod = "has a 'this' object; kernels and the methods they call are static";
    public const string StackallocSize = "has a size known only at run time; hardware memories have a fixed size (use a constant)";
    public const string SpanRebound = "a span is a view of one memory, bound once where it is declared (declare another span)";
    public const string Recursion = "hardware has no call stack (use a loop)";
}
