"""The model: IMS sections, records and decisions, action codes, GSTINs, rupees,
issues and errors. Plain data; imports nothing else from ims_xl.
"""
