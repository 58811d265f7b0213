//! The two requirement extractors behind one interface, chosen by `pipeline.extractor`.
//! Each fails in its own words: `rules` with "no line items found", `llm` with the
//! model's failure. There is no fall-back from one to the other.

use super::{ExtractError, Requirement, extract_rules};
use crate::config::{ExtractorKind, Settings};
use crate::llm::{LlmExtractor, Rejection, Usage};
use crate::pipeline::text::ExtractedDocument;

pub enum Extractor {
    Rules,
    Llm(Box<LlmExtractor>),
}

/// The outcome of one extraction: the lines or the failure, plus, for `llm`, the proposed
/// lines that failed validation and the token usage of every request made.
#[derive(Debug)]
pub struct Extraction {
    pub items: Result<Vec<Requirement>, ExtractError>,
    pub rejected: Vec<Rejection>,
    pub usage: Vec<Usage>,
}

impl Extractor {
    /// The configured extractor; a misconfigured `llm` is an error, never `rules` instead.
    pub fn from_settings(settings: &Settings) -> Result<Self, ExtractError> {
        Ok(match settings.pipeline.extractor {
            ExtractorKind::Rules => Self::Rules,
            ExtractorKind::Llm => Self::Llm(Box::new(LlmExtractor::new(&settings.llm)?)),
        })
    }

    pub fn kind(&self) -> ExtractorKind {
        match self {
            Self::Rules => ExtractorKind::Rules,
            Self::Llm(_) => ExtractorKind::Llm,
        }
    }

    /// The requested lines of these documents. Zero lines is [`ExtractError::NoItems`].
    pub async fn extract(&self, docs: &[ExtractedDocument]) -> Extraction {
        match self {
            // Regexes over already-parsed text: milliseconds even for long documents.
            Self::Rules => Extraction {
                items: extract_rules(docs),
                rejected: Vec::new(),
                usage: Vec::new(),
            },
            Self::Llm(llm) => {
                if docs.is_empty() {
                    return Extraction {
                        items: Err(ExtractError::NoItems),
                        rejected: Vec::new(),
                        usage: Vec::new(),
                    };
                }
                let outcome = llm.extract(docs).await;
                let items = match outcome.items {
                    Err(e) => Err(ExtractError::Llm(e)),
                    Ok(items) if !items.is_empty() => Ok(items),
                    Ok(_) if outcome.rejected.is_empty() => Err(ExtractError::NoItems),
                    Ok(_) => Err(ExtractError::NoValidItems {
                        proposed: outcome.rejected.len(),
                        first: outcome.rejected[0].to_string(),
                    }),
                };
                Extraction {
                    items,
                    rejected: outcome.rejected,
                    usage: outcome.usage,
                }
            }
        }
    }
}
