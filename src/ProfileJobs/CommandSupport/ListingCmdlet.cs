using System.Management.Automation;
using System.Runtime.Serialization;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// A command that lists (parameter set <see cref="ListSet"/>) and also reads by id in other sets. -First, -Skip and
    /// -IncludeTotalCount are declared here, in the listing set only, instead of by SupportsPaging, which would add them
    /// to the id sets too, where they mean nothing. They behave as SupportsPaging's do.
    /// </summary>
    public abstract class ListingCmdlet : ConnectedCmdlet
    {
        protected const string ListSet = "List";

        /// <summary>Writes at most this many objects, and stops requesting pages once it has them.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [PSDefaultValue(Help = "no limit")]
        public ulong First { get; set; } = ulong.MaxValue;

        /// <summary>Ignores this many matching objects before writing the first one.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public ulong Skip { get; set; }

        /// <summary>Also writes the number of matching objects after them (a number whose Accuracy says how exact it is);
        /// the listing then reads every page, whatever -First says.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter IncludeTotalCount { get; set; }

        /// <summary>
        /// The engine's paging object, as SupportsPaging would bind it, so the total count written is the engine's own
        /// (a UInt64 with Accuracy and its ToString). Its constructor is internal; its properties are public.
        /// </summary>
        protected new PagingParameters PagingParameters
        {
            get
            {
                var paging = (PagingParameters)FormatterServices.GetUninitializedObject(typeof(PagingParameters));
                paging.First = First;
                paging.Skip = Skip;
                paging.IncludeTotalCount = IncludeTotalCount;
                return paging;
            }
        }
    }
}
