//! Where an [`Inventory`](crate::model::Inventory) comes from: a snapshot directory of AWS CLI
//! JSON ([`snapshot`]) or the live account through the AWS SDK (`live`, behind the `live`
//! feature). Only `live` touches the network; both produce the same model.

#[cfg(feature = "live")]
pub mod live;
pub mod snapshot;
