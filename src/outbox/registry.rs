//! Which sender answers on which channel: filled at start-up by every channel that is
//! configured, read by the drainer. A channel without a sender keeps its rows waiting.

use std::collections::BTreeMap;
use std::sync::Arc;

use channels::{ChannelKind, ReplySender};

#[derive(Clone, Default)]
pub struct Registry {
    senders: BTreeMap<&'static str, Arc<dyn ReplySender>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the sender of its channel (replacing an earlier one).
    pub fn register(&mut self, sender: Arc<dyn ReplySender>) -> &mut Self {
        self.senders.insert(sender.channel().as_str(), sender);
        self
    }

    pub fn get(&self, channel: &str) -> Option<&Arc<dyn ReplySender>> {
        self.senders.get(channel)
    }

    /// The channel names with a sender: the drainer claims rows of these only.
    pub fn channels(&self) -> Vec<String> {
        self.senders.keys().map(|c| c.to_string()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.senders.is_empty()
    }

    pub fn has(&self, channel: ChannelKind) -> bool {
        self.senders.contains_key(channel.as_str())
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.senders.keys()).finish()
    }
}
