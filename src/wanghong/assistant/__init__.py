"""AI 助手 / assistant: grounded live Q&A, livestream scripts and product copy, labelled as AI-generated."""
