//! Client-side cost per request, without the network: building the parameters, rendering, timestamping
//! and signing the URL, and decoding the response, for a new order (FULL response with fills) and an
//! account call. The floor, measured in the same run, is the HMAC-SHA256 signature of the same payload.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_client::Client;
use mbx_client::types::{Account, Order};
use mbx_core::Params;
use mbx_core::endpoint::Security;
use mbx_core::sign::HmacSigner;

const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

const ORDER_FULL: &str = r#"{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"mbx-6gCrw2kRUAF9CvJD","transactTime":1507725176595,"price":"0.00000000","origQty":"10.00000000","executedQty":"10.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"10.00000000","status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"SELL","workingTime":1507725176595,"selfTradePreventionMode":"NONE","fills":[{"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":56},{"price":"3999.00000000","qty":"5.00000000","commission":"19.99500000","commissionAsset":"USDT","tradeId":57}]}"#;

fn account_json() -> String {
    let balances: Vec<String> = ["BTC", "ETH", "USDT", "BNB", "LTC", "456"]
        .iter()
        .map(|a| format!(r#"{{"asset":"{a}","free":"1234.56780000","locked":"0.00000000"}}"#))
        .collect();
    format!(
        r#"{{"makerCommission":15,"takerCommission":15,"buyerCommission":0,"sellerCommission":0,"canTrade":true,"canWithdraw":true,"canDeposit":true,"brokered":false,"requireSelfTradePrevention":false,"preventSor":false,"updateTime":123456789,"accountType":"SPOT","balances":[{}],"permissions":["SPOT"],"uid":354937868}}"#,
        balances.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let client = Client::builder()
        .base_url("https://api.binance.com")
        .api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
        .hmac_secret(SECRET)
        .build()
        .unwrap();
    let signer = HmacSigner::new(SECRET.as_bytes());
    let payload = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000&newClientOrderId=mbx-6gCrw2kRUAF9CvJD&timestamp=1795466861198";
    let account = account_json();
    let mut g = c.benchmark_group("client_request");
    g.bench_function("floor_hmac_signature", |b| b.iter(|| signer.sign(black_box(payload.as_bytes()))));
    g.bench_function("new_order_build_sign_and_decode_full", |b| {
        b.iter(|| {
            let params = Params::new()
                .text("symbol", "BTCUSDT")
                .text("side", "BUY")
                .text("type", "LIMIT")
                .text("timeInForce", "GTC")
                .text("quantity", "0.001")
                .text("price", "60000")
                .text("newClientOrderId", "mbx-6gCrw2kRUAF9CvJD");
            let url = client.prepared_url("/api/v3/order", &params, Security::Trade).unwrap();
            let order: Order = serde_json::from_str(black_box(ORDER_FULL)).unwrap();
            (url, order)
        })
    });
    g.bench_function("account_sign_and_decode", |b| {
        b.iter(|| {
            let url = client.prepared_url("/api/v3/account", &Params::new(), Security::UserData).unwrap();
            let account: Account = serde_json::from_str(black_box(&account)).unwrap();
            (url, account)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
